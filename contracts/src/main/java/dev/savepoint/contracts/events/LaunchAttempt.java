package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.determinism.CpuFamily;
import dev.savepoint.contracts.spec.RunSpec;
import java.time.Instant;

/**
 * Command to a trainer-service worker: run attempt {@code attempt} of a run, resuming from a checkpoint or from scratch.
 * {@code cpu}, when known, is the CPU the run's checkpoints were computed on (their determinism fingerprint): the
 * kubernetes launcher places a strict run's attempt on a node with that CPU.
 */
public record LaunchAttempt(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) RunSpec spec,
        String resumeFromCheckpointId,
        Long resumeFromStep,
        CpuFamily cpu) implements SavepointEvent {

    public static final String TYPE = "LaunchAttempt";

    public LaunchAttempt {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(spec, "spec");
    }

    public static LaunchAttempt of(String runId, int attempt, RunSpec spec, String resumeFromCheckpointId,
            Long resumeFromStep) {
        return new LaunchAttempt(null, TYPE, runId, attempt, null, 0, spec, resumeFromCheckpointId, resumeFromStep,
                null);
    }

    /** The same command, saying the run's checkpoints were computed on {@code cpu} (null: not known). */
    public LaunchAttempt onCpu(CpuFamily cpu) {
        return new LaunchAttempt(id, type, runId, attempt, occurredAt, schemaVersion, spec, resumeFromCheckpointId,
                resumeFromStep, cpu);
    }
}
