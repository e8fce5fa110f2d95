package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every checkpoint records the determinism fingerprint it was written under; a resume compares it with its own,
 * says in AttemptStarted whether it is bit-exact, and under {@code determinism: strict} refuses one that is not.
 * Another fingerprint is made on this machine by capping PyTorch's ISA ({@code ATEN_CPU_CAPABILITY=default}).
 */
class FingerprintResumeTest {

    private static final Map<String, String> OTHER_ISA = Map.of("ATEN_CPU_CAPABILITY", "default");

    @TempDir
    Path dir;

    @Test
    void resumeUnderTheSameFingerprintIsMarkedBitExactAndIs() throws Exception {
        Path spec = spec("best-effort");
        String runId = "fp-same-" + UUID.randomUUID();
        String finalHash = firstAttempt(runId, spec);

        AttemptProcess resumed = AttemptProcess.start(dir, runId, 2, spec, firstCheckpoint(runId), Map.of());
        assertEquals(0, resumed.awaitExit(), resumed.stderr());
        AttemptStarted started = started(runId, 2);
        assertEquals(Boolean.TRUE, started.resumeExact());
        assertEquals(List.of(), started.resumeDifferences());
        assertNotNull(started.fingerprint().cpuVendor());
        assertEquals(finalHash, resumed.finalHash(), "a resume marked bit-exact must end with the same bits");
    }

    @Test
    void bestEffortResumeUnderAnotherIsaResumesFlaggedWithTheField() throws Exception {
        Path spec = spec("best-effort");
        String runId = "fp-best-" + UUID.randomUUID();
        firstAttempt(runId, spec);

        AttemptProcess resumed = AttemptProcess.start(dir, runId, 2, spec, firstCheckpoint(runId), OTHER_ISA);
        assertEquals(0, resumed.awaitExit(), resumed.stderr());
        AttemptStarted started = started(runId, 2);
        assertEquals(Boolean.FALSE, started.resumeExact());
        assertTrue(started.resumeDifferences().contains("atenCpuCapability: avx2 -> default"),
                started.resumeDifferences().toString());
        assertTrue(resumed.stderr().contains("cannot be bit-exact"), resumed.stderr());
    }

    @Test
    void strictResumeUnderAnotherIsaIsRefusedNamingTheField() throws Exception {
        Path spec = spec("strict");
        String runId = "fp-strict-" + UUID.randomUUID();
        firstAttempt(runId, spec);

        AttemptProcess resumed = AttemptProcess.start(dir, runId, 2, spec, firstCheckpoint(runId), OTHER_ISA);
        assertEquals(AttemptExit.NOT_REPRODUCIBLE.code(), resumed.awaitExit(), resumed.stderr());
        List<SavepointEvent> events = RunEvents.until(Topics.RUNS, runId,
                e -> e instanceof AttemptFailed && e.attempt() == 2);
        AttemptFailed failed = (AttemptFailed) events.get(events.size() - 1);
        assertEquals(FailureReason.NOT_REPRODUCIBLE, failed.reason());
        assertTrue(failed.message().contains("atenCpuCapability: avx2 -> default"), failed.message());
        assertTrue(FailureReason.NOT_REPRODUCIBLE.permanent(), "a refused strict resume must not be retried");
        assertFalse(events.stream().anyMatch(e -> e instanceof AttemptStarted && e.attempt() == 2),
                "a refused resume must not start training");
    }

    /** Attempt 1 trains to the end; its first checkpoint (step 50, the first one queued, never skipped) is resumed. */
    private String firstAttempt(String runId, Path spec) throws Exception {
        AttemptProcess first = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, first.awaitExit(), first.stderr());
        return first.finalHash();
    }

    private static String firstCheckpoint(String runId) {
        return CheckpointManifest.checkpointId(runId, 50, 1);
    }

    private static AttemptStarted started(String runId, int attempt) {
        return RunEvents.await(Topics.RUNS, runId, AttemptStarted.class, attempt).stream()
                .filter(s -> s.attempt() == attempt).findFirst()
                .orElseThrow(() -> new AssertionError("no AttemptStarted of attempt " + attempt));
    }

    private Path spec(String determinism) throws Exception {
        Path file = dir.resolve("fp-" + determinism + ".json");
        Files.writeString(file, """
                {"name": "fingerprint", "seed": 42, "maxSteps": 100, "batchSize": 32,
                 "model": {"type": "mlp", "inputs": 16, "hidden": [32], "outputs": 4, "dropout": 0.1},
                 "optimizer": {"type": "adamw", "lr": 0.01},
                 "data": {"type": "synthetic", "samples": 500, "classes": 4, "seed": 11},
                 "checkpoint": {"everySteps": 50},
                 "retention": {"keepEverySteps": 50},
                 "determinism": "%s"}
                """.formatted(determinism));
        return file;
    }
}
