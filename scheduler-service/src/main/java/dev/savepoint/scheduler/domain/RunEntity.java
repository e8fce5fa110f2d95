package dev.savepoint.scheduler.domain;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.scheduler.run.FailureHistory;
import dev.savepoint.scheduler.run.LastFailure;
import dev.savepoint.scheduler.run.RunLifecycle;
import dev.savepoint.scheduler.run.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A run's row: its spec, its persisted {@link RunLifecycle} and what the API shows about it. */
@Entity
@Table(name = "runs")
public class RunEntity {

    @Id
    @Column(name = "run_id")
    public String runId;
    public String name;
    public String spec;
    @Enumerated(EnumType.STRING)
    public RunState state;
    @Column(name = "current_attempt")
    public int currentAttempt;
    public int restarts;
    public int preemptions;
    @Column(name = "failures_without_progress")
    public int failuresWithoutProgress;
    @Column(name = "last_committed_step")
    public long lastCommittedStep;
    @Column(name = "committed_step_at_last_failure")
    public long committedStepAtLastFailure;
    @Column(name = "last_failure_attempt")
    public Integer lastFailureAttempt;
    @Enumerated(EnumType.STRING)
    @Column(name = "last_failure_reason")
    public FailureReason lastFailureReason;
    @Column(name = "last_failure_message")
    public String lastFailureMessage;
    @Column(name = "last_failure_at")
    public Instant lastFailureAt;
    @Column(name = "next_launch_at")
    public Instant nextLaunchAt;
    @Column(name = "current_step")
    public Long currentStep;
    @Column(name = "final_params_sha256")
    public String finalParamsSha256;
    /** The newest step of any attempt with a committed checkpoint, and that checkpoint's parameter hash if known. */
    @Column(name = "newest_committed_step")
    public Long newestCommittedStep;
    @Column(name = "newest_committed_params_sha256")
    public String newestCommittedParamsSha256;
    /** False once a resume of this run could not be bit-exact (see {@link #determinismNote}). */
    @Column(name = "bit_exact")
    public boolean bitExact = true;
    /** Why the run is not bit-exact: the attempt and the fingerprint fields that differed. */
    @Column(name = "determinism_note")
    public String determinismNote;
    /**
     * The CPU the run's checkpoints are computed on ({@code vendor_id} and model name of the determinism fingerprint
     * of its newest attempt that started fresh or resumed bit-exact); null until one started.
     */
    @Column(name = "cpu_vendor")
    public String cpuVendor;
    @Column(name = "cpu_model")
    public String cpuModel;
    /** Lineage of a fork: the run and its committed checkpoint this run's first attempt resumed from. */
    @Column(name = "parent_run_id")
    public String parentRunId;
    @Column(name = "parent_checkpoint_id")
    public String parentCheckpointId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public RunLifecycle lifecycle() {
        LastFailure last = lastFailureReason == null ? null
                : new LastFailure(lastFailureAttempt, lastFailureReason, lastFailureMessage, lastFailureAt);
        return new RunLifecycle(runId, state, currentAttempt, new FailureHistory(restarts, preemptions,
                failuresWithoutProgress, lastCommittedStep, committedStepAtLastFailure), last, nextLaunchAt);
    }

    public void apply(RunLifecycle l, Instant now) {
        state = l.state();
        currentAttempt = l.currentAttempt();
        FailureHistory h = l.history();
        restarts = h.restarts();
        preemptions = h.preemptions();
        failuresWithoutProgress = h.consecutiveFailuresWithoutProgress();
        lastCommittedStep = h.lastCommittedStep();
        committedStepAtLastFailure = h.committedStepAtLastFailure();
        if (l.lastFailure() != null) {
            lastFailureAttempt = l.lastFailure().attempt();
            lastFailureReason = l.lastFailure().reason();
            lastFailureMessage = l.lastFailure().message();
            lastFailureAt = l.lastFailure().at();
        }
        nextLaunchAt = l.nextLaunchAt();
        updatedAt = now;
    }
}
