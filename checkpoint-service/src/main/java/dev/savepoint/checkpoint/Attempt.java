package dev.savepoint.checkpoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One attempt of a run: when it started and ended, why it ended, and whether its resume could be bit-exact. */
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
    /** What decides this attempt's bits (CPU, ISA, native settings, threads, versions). */
    @JdbcTypeCode(SqlTypes.JSON)
    public DeterminismFingerprint fingerprint;
    /** Whether the resume could be bit-exact; null for a fresh start. */
    @Column(name = "resume_exact")
    public Boolean resumeExact;
    /** Fingerprint fields that differ from the checkpoint's, as {@code field: saved -> current}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "resume_differences")
    public List<String> resumeDifferences;

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
