package dev.savepoint.checkpoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One attempt of a run: when it started and ended, and why it ended. */
@Entity
@Table(name = "attempts")
@IdClass(Attempt.Key.class)
public class Attempt {

    @Id
    @Column(name = "run_id")
    public String runId;
    @Id
    public int attempt;
    @Enumerated(EnumType.STRING)
    public RunState state;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    public String cause;
    public String message;
    @Column(name = "exit_code")
    public Integer exitCode;
    @Column(name = "last_step")
    public Long lastStep;
    @Column(name = "resumed_from_checkpoint_id")
    public String resumedFromCheckpointId;
    public String host;
    /** Checkpoints the attempt skipped so far (latest Heartbeat or AttemptSucceeded). */
    @Column(name = "checkpoints_skipped")
    public Integer checkpointsSkipped;
    /** The step of the attempt's newest checkpoint in storage, as last reported. */
    @Column(name = "newest_durable_step")
    public Long newestDurableStep;
    /** How old that checkpoint was when last reported, in milliseconds. */
    @Column(name = "newest_durable_age_ms")
    public Long newestDurableAgeMillis;

    /** Composite key (run, attempt number). */
    public static class Key implements Serializable {
        public String runId;
        public int attempt;

        public Key() {
        }

        public Key(String runId, int attempt) {
            this.runId = runId;
            this.attempt = attempt;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(runId, k.runId) && attempt == k.attempt;
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, attempt);
        }
    }
}
