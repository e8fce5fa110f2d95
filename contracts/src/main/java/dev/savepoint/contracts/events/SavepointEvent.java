package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * The envelope every event carries: {@code id} (the idempotency key), {@code type}, {@code runId} (the Kafka key,
 * so a run's events stay ordered), {@code attempt} (the fencing token), {@code occurredAt} and
 * {@code schemaVersion}. New fields are optional with defaults; readers ignore unknown fields.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AttemptStarted.class, name = AttemptStarted.TYPE),
    @JsonSubTypes.Type(value = Heartbeat.class, name = Heartbeat.TYPE),
    @JsonSubTypes.Type(value = AttemptFailed.class, name = AttemptFailed.TYPE),
    @JsonSubTypes.Type(value = AttemptSucceeded.class, name = AttemptSucceeded.TYPE),
    @JsonSubTypes.Type(value = CheckpointWritten.class, name = CheckpointWritten.TYPE),
    @JsonSubTypes.Type(value = CheckpointCommitted.class, name = CheckpointCommitted.TYPE),
    @JsonSubTypes.Type(value = CheckpointRejected.class, name = CheckpointRejected.TYPE),
    @JsonSubTypes.Type(value = CheckpointDeleted.class, name = CheckpointDeleted.TYPE),
    @JsonSubTypes.Type(value = CheckpointCorrupt.class, name = CheckpointCorrupt.TYPE),
    @JsonSubTypes.Type(value = LaunchAttempt.class, name = LaunchAttempt.TYPE),
    @JsonSubTypes.Type(value = CancelAttempt.class, name = CancelAttempt.TYPE),
})
public sealed interface SavepointEvent
        permits AttemptStarted, Heartbeat, AttemptFailed, AttemptSucceeded, CheckpointWritten, CheckpointCommitted,
        CheckpointRejected, CheckpointDeleted, CheckpointCorrupt, LaunchAttempt, CancelAttempt {

    /** The schema version this build writes; readers accept it and every older one. */
    int SCHEMA_VERSION = 1;

    String id();

    String type();

    String runId();

    int attempt();

    Instant occurredAt();

    int schemaVersion();
}
