package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** Command to a trainer-service worker: stop attempt {@code attempt} of a run (SIGTERM, then SIGKILL after a grace period). */
public record CancelAttempt(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        String reason) implements SavepointEvent {

    public static final String TYPE = "CancelAttempt";

    public CancelAttempt {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);

    }

    public static CancelAttempt of(String runId, int attempt, String reason) {
        return new CancelAttempt(null, TYPE, runId, attempt, null, 0, reason);
    }
}
