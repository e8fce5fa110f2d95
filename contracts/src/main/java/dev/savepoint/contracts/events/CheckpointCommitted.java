package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** checkpoint-service verified a checkpoint against its manifest and committed it: resumes may use it now. */
public record CheckpointCommitted(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        @JsonProperty(required = true) long step,
        Long totalBytes) implements SavepointEvent {

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
        return new CheckpointCommitted(null, TYPE, runId, attempt, null, 0, checkpointId, step, totalBytes);
    }
}
