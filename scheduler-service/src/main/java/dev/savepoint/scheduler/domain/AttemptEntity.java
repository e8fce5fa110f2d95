package dev.savepoint.scheduler.domain;

import dev.savepoint.contracts.events.FailureReason;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One attempt of a run: launched once (its key is the fencing token), its lease, who supervises it, how it ended and
 * whether that end is confirmed, and the calls owed after the commit that decided them (launch command, corrupt
 * mark, cancel command).
 */
@Entity
@Table(name = "attempts")
public class AttemptEntity {

    /** (run, attempt). */
    @Embeddable
    public record Key(@Column(name = "run_id") String runId, int attempt) implements Serializable {
    }

    @EmbeddedId
    public Key id;
    @Enumerated(EnumType.STRING)
    public AttemptState state;
    @Column(name = "launched_at")
    public Instant launchedAt;
    @Column(name = "command_sent_at")
    public Instant commandSentAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;
    @Column(name = "last_step")
    public Long lastStep;
    @Column(name = "heartbeat_millis")
    public int heartbeatMillis;
    @Column(name = "resume_checkpoint_id")
    public String resumeCheckpointId;
    @Column(name = "resume_step")
    public Long resumeStep;
    @Enumerated(EnumType.STRING)
    public FailureReason cause;
    public String message;
    @Column(name = "exit_code")
    public Integer exitCode;
    /** Whether the resume could be bit-exact; null for a fresh start or before the attempt started. */
    @Column(name = "resume_exact")
    public Boolean resumeExact;
    /** The determinism fingerprint fields that differ from the checkpoint's, as {@code field: saved -> current}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "resume_differences")
    public List<String> resumeDifferences;
    /** The checkpoint this attempt found corrupt, to be marked in checkpoint-service after the commit. */
    @Column(name = "corrupt_checkpoint_id")
    public String corruptCheckpointId;
    @Column(name = "corrupt_reported_at")
    public Instant corruptReportedAt;
    /** Why a user cancelled this attempt; the cancel command goes to its launcher after the commit. */
    @Column(name = "cancel_reason")
    public String cancelReason;
    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;
    @Column(name = "cancel_sent_at")
    public Instant cancelSentAt;
    /** The launcher process that supervises this attempt (trainer-service's URL), from its AttemptStarted. */
    @Column(name = "supervisor_url")
    public String supervisorUrl;
    /**
     * What the attempt claimed when it reported success (the final step and the hash of its parameters), held until
     * its final checkpoint is committed and bears it out; null before.
     */
    @Column(name = "claimed_step")
    public Long claimedStep;
    @Column(name = "claimed_params_sha256")
    public String claimedParamsSha256;
    /** When the claim arrived (on the scheduler's clock); a claim still undecided claim-timeout later fails. */
    @Column(name = "claimed_at")
    public Instant claimedAt;
    /**
     * The step of this attempt's newest rejected checkpoint and why, kept because the rejection of a final checkpoint
     * (savepoint.checkpoints) may arrive before the claim it refutes (savepoint.runs).
     */
    @Column(name = "rejected_step")
    public Long rejectedStep;
    @Column(name = "rejected_why")
    public String rejectedWhy;
    /** Since when (on the scheduler's horizon) its lease has expired while its launcher says it is alive. */
    @Column(name = "silent_alive_since")
    public Instant silentAliveSince;
    /**
     * When its end was confirmed: its exit reported, or its launcher found it gone or could not be asked once its
     * lease had expired; the run's next attempt is launched only after that.
     */
    @Column(name = "end_confirmed_at")
    public Instant endConfirmedAt;
    /**
     * Goodput: the furthest step an earlier attempt of the run had reached when this one started (it re-trains the
     * steps from its resume point up to there), and when it first reported a step at or past it.
     */
    @Column(name = "recompute_until_step")
    public Long recomputeUntilStep;
    @Column(name = "caught_up_at")
    public Instant caughtUpAt;

    public String runId() {
        return id.runId();
    }

    public int attempt() {
        return id.attempt();
    }
}
