package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * checkpoint-service verified a checkpoint against its manifest and committed it: resumes may use it now.
 * {@code paramsSha256}, when present, is what checkpoint-service computed itself from the stored parameters (the
 * built-in trainer's {@code model.safetensors}, see {@link dev.savepoint.contracts.checkpoint.ParamsDigest}): the
 * value an attempt's {@code finalParamsSha256} must equal when this is its final checkpoint.
 */
public record CheckpointCommitted(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        @JsonProperty(required = true) long step,
        Long totalBytes,
        String paramsSha256) implements SavepointEvent {

    public static final String TYPE = "CheckpointCommitted";

    public CheckpointCommitted {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(checkpointId, "checkpointId");
    }

    public static CheckpointCommitted of(String runId, int attempt, String checkpointId, long step, Long totalBytes) {
        return of(runId, attempt, checkpointId, step, totalBytes, null);
    }

    public static CheckpointCommitted of(String runId, int attempt, String checkpointId, long step, Long totalBytes,
            String paramsSha256) {
        return new CheckpointCommitted(null, TYPE, runId, attempt, null, 0, checkpointId, step, totalBytes,
                paramsSha256);
    }
}
