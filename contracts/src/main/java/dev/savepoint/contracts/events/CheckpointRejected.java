package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** checkpoint-service refused a written checkpoint; it is never used for a resume. */
public record CheckpointRejected(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        Long step,
        @JsonProperty(required = true) RejectReason reason,
        String message) implements SavepointEvent {

    public static final String TYPE = "CheckpointRejected";

    public CheckpointRejected {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(checkpointId, "checkpointId");
        Envelope.require(reason, "reason");
        message = message == null ? "" : message;
    }

    public static CheckpointRejected of(String runId, int attempt, String checkpointId, Long step,
            RejectReason reason, String message) {
        return new CheckpointRejected(null, TYPE, runId, attempt, null, 0, checkpointId, step, reason, message);
    }
}
