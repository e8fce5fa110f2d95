package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** An attempt trained to maxSteps; {@code finalParamsSha256} hashes every parameter in name order. */
public record AttemptSucceeded(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) long step,
        @JsonProperty(required = true) String finalParamsSha256,
        Double loss,
        Integer checkpointsWritten,
        Integer checkpointsSkipped) implements SavepointEvent {

    public static final String TYPE = "AttemptSucceeded";

    public AttemptSucceeded {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(finalParamsSha256, "finalParamsSha256");
    }

    public static AttemptSucceeded of(String runId, int attempt, long step, String finalParamsSha256, Double loss,
            Integer checkpointsWritten, Integer checkpointsSkipped) {
        return new AttemptSucceeded(null, TYPE, runId, attempt, null, 0, step, finalParamsSha256, loss,
                checkpointsWritten, checkpointsSkipped);
    }
}
