package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.spec.RunSpec;
import java.time.Instant;

/** An attempt process is up and about to train; it carries the whole spec and where it resumed from. */
public record AttemptStarted(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) RunSpec spec,
        String resumedFromCheckpointId,
        Long resumedFromStep,
        String host,
        Long pid) implements SavepointEvent {

    public static final String TYPE = "AttemptStarted";

    public AttemptStarted {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.require(runId, "runId");
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(spec, "spec");
    }

    public static AttemptStarted of(String runId, int attempt, RunSpec spec, String resumedFromCheckpointId,
            Long resumedFromStep, String host, Long pid) {
        return new AttemptStarted(null, TYPE, runId, attempt, null, 0, spec, resumedFromCheckpointId,
                resumedFromStep, host, pid);
    }
}
