package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training command run through an attempt process: restore, run, upload complete states, end with one event. */
class CommandRunTest {

    @TempDir
    Path dir;

    @Test
    void freshCommandRunUploadsEveryStateWithItsLayoutAndSucceeds() throws Exception {
        Path spec = CommandRuns.kohyaSpec(dir, "fresh", 30, 1, List.of("--save_every_n_steps", "10"), Map.of());
        String runId = "cmd-fresh-" + UUID.randomUUID();
        AttemptProcess attempt = CommandRuns.start(dir, runId, 1, spec, null);
        assertEquals(0, attempt.awaitExit(), attempt.stderr());

        var events = RunEvents.until(Topics.RUNS, runId, AttemptSucceeded.class);
        assertTrue(events.get(0) instanceof AttemptStarted, "the first event is AttemptStarted: " + events);
        assertNull(((AttemptStarted) events.get(0)).resumedFromStep());
        AttemptSucceeded succeeded = (AttemptSucceeded) events.get(events.size() - 1);
        assertEquals(30, succeeded.step());
        assertEquals(attempt.stdout().lines().filter(l -> l.startsWith("final-params-sha256=")).findFirst()
                .orElseThrow().substring("final-params-sha256=".length()), succeeded.finalParamsSha256(),
                "the hash the trainer printed");

        List<CheckpointManifest> manifests = new StoredRun(runId).manifests();
        assertEquals(List.of(10L, 20L, 30L), manifests.stream().map(CheckpointManifest::step).sorted().toList());
        CheckpointManifest last = manifests.stream().filter(m -> m.step() == 30).findFirst().orElseThrow();
        assertEquals("demo-step00000030-state", last.layout().stateDir());
        assertEquals(30L, last.layout().counter());
        assertEquals(List.of("demo-step00000030-state/model.bin", "demo-step00000030-state/optimizer.bin",
                "demo-step00000030-state/random_states.json", "demo-step00000030-state/train_state.json",
                "demo-step00000030.safetensors"), last.layout().paths().values().stream().sorted().toList());
        var written = RunEvents.await(Topics.CHECKPOINTS, runId, CheckpointWritten.class, 3);
        assertEquals(List.of(10L, 20L, 30L), written.stream().map(CheckpointWritten::step).toList());
        assertTrue(written.get(0).metrics().containsKey("loss"), "the state's loss is the checkpoint's metric");

        assertTrue(attempt.stdout().contains("saved state at step 30"), "the trainer's output is the attempt's");
        assertTrue(Files.readString(CommandRuns.work(dir, runId, 1).resolve("trainer.log"))
                .contains("saved state at step 30"));
        String classes = Files.readString(CommandRuns.classLog(dir, runId, 1));
        assertFalse(classes.contains("ai.djl."), "a command attempt never loads DJL");
    }

    @Test
    void sigtermStopsTheTrainerUploadsItsCompleteStatesAndEndsPreempted() throws Exception {
        Path spec = CommandRuns.kohyaSpec(dir, "preempt", 1000, 1, List.of("--save_every_n_steps", "5",
                "--step_seconds", "0.1"), Map.of());
        String runId = "cmd-preempt-" + UUID.randomUUID();
        StoredRun stored = new StoredRun(runId);
        AttemptProcess attempt = CommandRuns.start(dir, runId, 1, spec, null);
        long trainer = CommandRuns.trainerPid(CommandRuns.work(dir, runId, 1));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> !stored.manifests().isEmpty());
        attempt.terminate();
        assertEquals(AttemptExit.PREEMPTED.code(), attempt.awaitExit(), attempt.stderr());

        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.PREEMPTED, failed.reason(), failed.message());
        long newest = stored.manifests().stream().mapToLong(CheckpointManifest::step).max().orElseThrow();
        assertEquals(newest, failed.step(), "the attempt's step is its newest uploaded state's");
        assertTrue(newest < 1000);
        assertFalse(ProcessHandle.of(trainer).map(ProcessHandle::isAlive).orElse(false), "the trainer was stopped");
    }
}
