package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RestartSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether a failed attempt is retried, and after which delay, from a run's {@link RestartSpec} and its
 * {@link FailureHistory}.
 *
 * <p>A preemption (node drain, spot reclaim) is not the job's fault, so, as Kubernetes' pod failure policy
 * ({@code DisruptionTarget: Ignore}) and Determined do, it neither counts toward {@code maxRestarts} nor toward the
 * crash loop, and relaunches without backoff. It is still bounded by its own budget, {@code maxPreemptions}, so a
 * run on a node pool that is reclaimed forever ends instead of looping.
 */
public record RestartPolicy(RestartSpec spec, int maxPreemptions) {

    /** Preemptions allowed per run when the service configures no other budget. */
    public static final int DEFAULT_MAX_PREEMPTIONS = 20;

    public RestartPolicy {
        Objects.requireNonNull(spec, "spec");
        if (maxPreemptions < 0) {
            throw new IllegalArgumentException("maxPreemptions is " + maxPreemptions + ": use 0 or more");
        }
    }

    public static RestartPolicy of(RestartSpec spec) {
        return new RestartPolicy(spec, DEFAULT_MAX_PREEMPTIONS);
    }

    /** The decision for a new failure of {@code failedAttempt}, given the history before that failure. */
    public RestartDecision decide(int failedAttempt, FailureHistory history, FailureReason reason) {
        if (reason.permanent()) {
            return new RestartDecision.GiveUp("permanent failure " + reason + ": not retried; fix its cause, then resume the run");
        }
        if (reason == FailureReason.PREEMPTED) {
            return decidePreempted(failedAttempt, history);
        }
        if (history.restarts() >= spec.maxRestarts()) {
            return new RestartDecision.GiveUp("restart limit " + spec.maxRestarts() + " reached");
        }
        int consecutive = history.consecutiveFailuresWithOneMore();
        if (consecutive >= spec.crashLoopLimit()) {
            return new RestartDecision.GiveUp("crash loop: " + consecutive + " failures without a new checkpoint");
        }
        Duration delay = backoff(consecutive);
        return new RestartDecision.Retry(failedAttempt + 1, delay, reason + ": restart " + (history.restarts() + 1)
                + " of " + spec.maxRestarts() + " after " + delay.toMillis() + " ms backoff");
    }

    /** min(cap, initial * factor^(consecutiveFailures - 1)); never negative. */
    public Duration backoff(int consecutiveFailures) {
        double raw = spec.backoffInitialMs() * Math.pow(spec.backoffFactor(), Math.max(0, consecutiveFailures - 1));
        double capped = Math.min(spec.backoffMaxMs(), raw);
        return Duration.ofMillis(Math.max(0, Math.round(capped)));
    }

    private RestartDecision decidePreempted(int failedAttempt, FailureHistory history) {
        if (history.preemptions() >= maxPreemptions) {
            return new RestartDecision.GiveUp("preemption limit " + maxPreemptions + " reached");
        }
        return new RestartDecision.Retry(failedAttempt + 1, Duration.ZERO, "PREEMPTED: relaunch without backoff"
                + " (preemption " + (history.preemptions() + 1) + " of " + maxPreemptions + ")");
    }
}
