package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** Retention or a user removed a checkpoint's objects; {@code complete} is false when some remain (PARTIALLY_DELETED). */
public record CheckpointDeleted(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        Long step,
        boolean complete) implements SavepointEvent {

    public static final String TYPE = "CheckpointDeleted";

    public CheckpointDeleted {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(checkpointId, "checkpointId");
    }

    public static CheckpointDeleted of(String runId, int attempt, String checkpointId, Long step, boolean complete) {
        return new CheckpointDeleted(null, TYPE, runId, attempt, null, 0, checkpointId, step, complete);
    }
}
