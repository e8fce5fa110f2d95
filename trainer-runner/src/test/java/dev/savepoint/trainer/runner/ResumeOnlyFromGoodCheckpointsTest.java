package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume never uses a stale attempt's (REJECTED) or a corrupt checkpoint. Storage holds attempt 1's checkpoints up
 * to step 600 (it went on after attempt 2 had started from its step 200) and attempt 2's at 300 and 400, where 400
 * is corrupt. Each resume below holds at step 301 and is killed there, so none of them changes storage.
 */
class ResumeOnlyFromGoodCheckpointsTest {

    static final int STEPS = 600;

    @TempDir
    static Path dir;
    static String runId;
    static Path spec;
    static Holds holds;

    @BeforeAll
    static void aStaleAttemptsCheckpointsAndACorruptOneInStorage() throws Exception {
        runId = "good-only-" + UUID.randomUUID();
        spec = Specs.write(dir, "good-only", Specs.MLP_ADAMW, STEPS, 1, Specs.EVERY_100_KEPT);
        holds = new Holds(dir.resolve("holds"));
        AttemptProcess stale = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, stale.awaitExit(), stale.stderr());

        AttemptProcess second = AttemptProcess.start(dir, runId, 2, spec, id(200, 1), holds.at(450));
        second.awaitHeldAt(450);
        StoredRun stored = new StoredRun(runId);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.manifests().stream().filter(m -> m.attempt() == 2)
                .map(CheckpointManifest::step).toList().equals(List.of(300L, 400L)));
        second.kill();

        String key = CheckpointManifest.prefix(runId, 400, 2) + CheckpointFiles.MODEL;
        byte[] bytes = stored.read(key);
        bytes[bytes.length / 2] ^= 0x01;
        stored.write(key, bytes);
    }

    @Test
    void withoutTheCatalogTheResumeTakesTheNewestAttemptsNewestGoodCheckpoint() throws Exception {
        AttemptProcess third = resumeHeldAt301(3, "latest", Map.of()); // AttemptProcess.env: no catalog answers
        assertTrue(third.stdout().contains("resuming from checkpoint " + id(300, 2) + " at step 300"),
                "not attempt 2's step 300 (attempt 1's step 600 is older, step 400 is corrupt): " + third.stdout());
        assertTrue(third.stderr().contains("resuming without checkpoint-service"), third.stderr());
        assertTrue(third.stderr().contains("skipping checkpoint at step 400"), third.stderr());
        CheckpointCorrupt reported = RunEvents.first(Topics.CHECKPOINTS, runId, CheckpointCorrupt.class,
                c -> c.checkpointId().equals(id(400, 2)));
        assertEquals(CheckpointFiles.MODEL, reported.fileName());
    }

    @Test
    void theCatalogDecidesAndItsCorruptLatestIsReportedAndPassedOver() throws Exception {
        try (FakeCatalog catalog = catalogOfThisRun()) {
            AttemptProcess fourth = resumeHeldAt301(4, "latest", Map.of("SAVEPOINT_CHECKPOINT_URL", catalog.url()));
            assertTrue(fourth.stdout().contains("resuming from checkpoint " + id(300, 2) + " at step 300"),
                    fourth.stdout() + fourth.stderr());
            assertEquals(List.of(id(400, 2)), catalog.corruptReports);
            assertEquals(List.of(id(400, 2), id(300, 2)), catalog.leasedNewest);
            assertEquals(catalog.leasedNewest, catalog.released, "each resume lease is released");
            assertFalse(fourth.stderr().contains("resuming without checkpoint-service"), fourth.stderr());
        }
    }

    @Test
    void aCheckpointTheCatalogRejectedIsNeverResumedEvenWhenNamed() throws Exception {
        try (FakeCatalog catalog = catalogOfThisRun()) {
            AttemptProcess fifth = AttemptProcess.start(dir, runId, 5, spec, id(600, 1),
                    Map.of("SAVEPOINT_CHECKPOINT_URL", catalog.url()));
            assertEquals(AttemptExit.CRASHED.code(), fifth.awaitExit(), fifth.stderr());
            AttemptFailed failed = RunEvents.first(Topics.RUNS, runId, AttemptFailed.class, f -> f.attempt() == 5);
            assertTrue(failed.message().contains("the catalog refused to lease it")
                    && failed.message().contains("is REJECTED"), failed.message());
        }
    }

    /** What checkpoint-service knows: attempt 1's checkpoints after attempt 2 started are REJECTED as stale. */
    private static FakeCatalog catalogOfThisRun() throws Exception {
        FakeCatalog catalog = new FakeCatalog();
        for (long step = 100; step <= STEPS; step += 100) {
            catalog.put(runId, step, 1, step <= 200 ? "COMMITTED" : "REJECTED");
        }
        catalog.put(runId, 300, 2, "COMMITTED");
        catalog.put(runId, 400, 2, "COMMITTED"); // committed when it was whole; it rotted in storage since
        return catalog;
    }

    private static AttemptProcess resumeHeldAt301(int attempt, String resumeFrom, Map<String, String> extraEnv)
            throws Exception {
        Map<String, String> env = new HashMap<>(holds.at(301));
        env.putAll(extraEnv);
        AttemptProcess p = AttemptProcess.start(dir, runId, attempt, spec, resumeFrom, env);
        p.awaitHeldAt(301);
        p.kill();
        return p;
    }

    private static String id(long step, int attempt) {
        return CheckpointManifest.checkpointId(runId, step, attempt);
    }
}
