package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** A file of a checkpoint failed its SHA-256 check on download; the checkpoint is never used again. */
public record CheckpointCorrupt(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        String fileName,
        String message) implements SavepointEvent {

    public static final String TYPE = "CheckpointCorrupt";

    public CheckpointCorrupt {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(checkpointId, "checkpointId");
    }

    public static CheckpointCorrupt of(String runId, int attempt, String checkpointId, String fileName,
            String message) {
        return new CheckpointCorrupt(null, TYPE, runId, attempt, null, 0, checkpointId, fileName, message);
    }
}
