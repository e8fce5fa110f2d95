package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.spec.ScheduleSpec;
import dev.savepoint.trainer.engine.TrainerState;
import java.time.Instant;
import java.util.Map;

/**
 * {@code trainer_state.json}: the counters a resume restores (inside {@code trainer}) plus what a person or a tool
 * needs to trust the checkpoint: the spec's hash, the schedule, library versions, the determinism fingerprint and metrics.
 */
public record TrainerStateFile(
        int formatVersion,
        String runId,
        int attempt,
        String checkpointId,
        Instant createdAt,
        TrainerState trainer,
        String specSha256,
        ScheduleSpec schedule,
        double baseLr,
        Map<String, String> versions,
        DeterminismFingerprint fingerprint,
        Map<String, Double> metrics) {

    public static final String FILE_NAME = "trainer_state.json";
    public static final int FORMAT_VERSION = 2;
}
