package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** An attempt ended without finishing; {@code reporter} says who noticed (the attempt, its supervisor, the scheduler). */
public record AttemptFailed(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) FailureReason reason,
        String message,
        Integer exitCode,
        String signal,
        Long step,
        String reporter,
        String checkpointId) implements SavepointEvent {

    public static final String TYPE = "AttemptFailed";

    public AttemptFailed {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(reason, "reason");
        message = message == null ? "" : message;
    }

    public static AttemptFailed of(String runId, int attempt, FailureReason reason, String message, Integer exitCode,
            String signal, Long step, String reporter, String checkpointId) {
        return new AttemptFailed(null, TYPE, runId, attempt, null, 0, reason, message, exitCode, signal, step,
                reporter, checkpointId);
    }
}
