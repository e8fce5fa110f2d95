package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why an attempt ended early; decides whether the scheduler retries it. */
public enum FailureReason {
    /** The training process threw or exited non-zero. */
    CRASHED,
    /** The process was killed by a signal (SIGKILL). */
    KILLED,
    /**
     * The kernel's OOM killer ended a container at its memory limit (Kubernetes reports {@code OOMKilled}); retried
     * like a crash, so a run that runs out of memory at the same point every time ends in its crash-loop limit. The
     * message names the container and its limit: raise {@code runtime.memory}.
     */
    OOM_KILLED,
    /** SIGTERM (node drain, spot reclaim): a final checkpoint was written first. */
    PREEMPTED,
    /** No heartbeat within the lease: the attempt or its node went silent. */
    HEARTBEAT_LOST,
    /** A checkpoint file failed its hash check; resume from the one before. */
    CHECKPOINT_CORRUPT,
    /** The launcher could not start the attempt. */
    LAUNCH_FAILED,
    /**
     * The attempt reported success, but its final checkpoint does not bear it out: the checkpoint was rejected, or the
     * parameters stored in it hash to something else than the attempt's {@code finalParamsSha256}. Retried: the next
     * attempt resumes from the newest committed checkpoint, whose parameters checkpoint-service verified.
     */
    UNVERIFIED_SUCCESS,
    /** The spec is invalid: never retried. */
    INVALID_SPEC(true),
    /** The training data cannot be read or parsed: never retried. */
    DATA_ERROR(true),
    /** The run asks for strict determinism and the resume cannot be bit-exact (another CPU, ISA, library...). */
    NOT_REPRODUCIBLE(true),
    /**
     * A training command failed in a way that would fail again: its exit code or an output line matched one of its
     * trainer's permanent failures (a missing script, a missing module, CUDA out of memory); the message names which.
     */
    PERMANENT_ERROR(true),
    /**
     * The attempt outlived its deadline (a Kubernetes Job's {@code activeDeadlineSeconds}, reason
     * {@code DeadlineExceeded}): never retried, as a retry would restart the clock the deadline is there to stop.
     */
    DEADLINE(true),
    /** A user cancelled the run. */
    CANCELLED(true),
    /** A reason this build does not know yet (sent by a newer producer). */
    @JsonEnumDefaultValue
    UNKNOWN;

    private final boolean permanent;

    FailureReason() {
        this(false);
    }

    FailureReason(boolean permanent) {
        this.permanent = permanent;
    }

    /** A permanent failure would fail again the same way: the scheduler does not retry it. */
    public boolean permanent() {
        return permanent;
    }
}
