package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.events.FailureReason;

/**
 * The counters the restart policy decides from: restarts and preemptions used, failures in a row without a new
 * committed checkpoint, and the committed steps that tell whether the run progressed since its last failure.
 *
 * @param lastCommittedStep newest committed checkpoint step, {@link #NO_STEP} before the first
 * @param committedStepAtLastFailure {@code lastCommittedStep} when the last counted failure happened
 */
public record FailureHistory(
        int restarts,
        int preemptions,
        int consecutiveFailuresWithoutProgress,
        long lastCommittedStep,
        long committedStepAtLastFailure) {

    /** Stands for "no committed checkpoint yet". */
    public static final long NO_STEP = -1;

    public static FailureHistory none() {
        return new FailureHistory(0, 0, 0, NO_STEP, NO_STEP);
    }

    /** Progress means a checkpoint committed since the last counted failure (or since the start). */
    public boolean progressSinceLastFailure() {
        return lastCommittedStep > committedStepAtLastFailure;
    }

    /** The crash-loop count once one more failure is counted: progress starts it over at 1. */
    public int consecutiveFailuresWithOneMore() {
        return progressSinceLastFailure() ? 1 : consecutiveFailuresWithoutProgress + 1;
    }

    /** Remembers a committed step; an older or repeated step changes nothing. */
    public FailureHistory withCommittedStep(long step) {
        if (step <= lastCommittedStep) {
            return this;
        }
        return new FailureHistory(restarts, preemptions, consecutiveFailuresWithoutProgress, step,
                committedStepAtLastFailure);
    }

    /** Counts a failure the policy retried; a preemption uses its own budget and leaves the crash loop alone. */
    public FailureHistory afterRetry(FailureReason reason) {
        if (reason == FailureReason.PREEMPTED) {
            return new FailureHistory(restarts, preemptions + 1, consecutiveFailuresWithoutProgress,
                    lastCommittedStep, committedStepAtLastFailure);
        }
        return new FailureHistory(restarts + 1, preemptions, consecutiveFailuresWithOneMore(), lastCommittedStep,
                lastCommittedStep);
    }

    /** A user resume grants fresh budgets; the committed step stays, as the resume point. */
    public FailureHistory afterResume() {
        return new FailureHistory(0, 0, 0, lastCommittedStep, lastCommittedStep);
    }
}
