package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (a node drain, a spot reclaim): the attempt checkpoints where it stands and the resume loses nothing. */
class PreemptionTest {

    @TempDir
    Path dir;

    @Test
    void sigtermWritesAFinalCheckpointAndTheResumeEndsBitIdentical() throws Exception {
        Path spec = Specs.write(dir, "preempt", Specs.MLP_ADAMW, 2000, 1);
        String runA = "preempt-a-" + UUID.randomUUID();
        AttemptProcess uninterrupted = AttemptProcess.start(dir, runA, 1, spec, null, Map.of());
        assertEquals(0, uninterrupted.awaitExit(), uninterrupted.stderr());

        String runId = "preempt-" + UUID.randomUUID();
        Holds holds = new Holds(dir.resolve("holds"));
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, holds.at(700));
        StoredRun stored = new StoredRun(runId);
        attempt.awaitHeldAt(700); // SIGTERM mid-run: the attempt stands at step 700 of 2000
        attempt.terminate();
        holds.release(700);
        assertEquals(AttemptExit.PREEMPTED.code(), attempt.awaitExit(), attempt.stderr());

        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.PREEMPTED, failed.reason());
        long newest = stored.manifests().stream().mapToLong(CheckpointManifest::step).max().orElseThrow();
        assertEquals(failed.step(), newest, "the final checkpoint is at the step the attempt stopped");
        assertTrue(newest < 2000);

        AttemptProcess resumed = AttemptProcess.start(dir, runId, 2, spec, "latest", Map.of());
        assertEquals(0, resumed.awaitExit(), resumed.stderr());
        assertEquals(uninterrupted.finalHash(), resumed.finalHash());
    }
}
