package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * An attempt is alive: sent every heartbeat period with its progress; its absence expires the lease.
 * {@code checkpointsSkipped} counts checkpoints the attempt will never write (skipped under backpressure or replaced
 * while storage failed); {@code newestDurableStep} and {@code newestDurableAgeMillis} say which checkpoint is safely in
 * storage and how old it is (null before the first one).
 */
public record Heartbeat(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) long step,
        Integer epoch,
        Long samplesSeen,
        Double lr,
        Double loss,
        Double stepsPerSecond,
        Integer checkpointsSkipped,
        Long pid,
        Long newestDurableStep,
        Long newestDurableAgeMillis) implements SavepointEvent {

    public static final String TYPE = "Heartbeat";

    public Heartbeat {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
    }

    public static Heartbeat of(String runId, int attempt, long step, Integer epoch, Long samplesSeen, Double lr,
            Double loss, Double stepsPerSecond, Integer checkpointsSkipped, Long pid) {
        return new Heartbeat(null, TYPE, runId, attempt, null, 0, step, epoch, samplesSeen, lr, loss,
                stepsPerSecond, checkpointsSkipped, pid, null, null);
    }

    /** A heartbeat that also reports the newest durable checkpoint (its step and age). */
    public static Heartbeat of(String runId, int attempt, long step, Integer epoch, Long samplesSeen, Double lr,
            Double loss, Double stepsPerSecond, Integer checkpointsSkipped, Long pid, Long newestDurableStep,
            Long newestDurableAgeMillis) {
        return new Heartbeat(null, TYPE, runId, attempt, null, 0, step, epoch, samplesSeen, lr, loss,
                stepsPerSecond, checkpointsSkipped, pid, newestDurableStep, newestDurableAgeMillis);
    }
}
