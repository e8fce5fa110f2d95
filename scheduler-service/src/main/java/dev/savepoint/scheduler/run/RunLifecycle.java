package dev.savepoint.scheduler.run;

import static dev.savepoint.scheduler.run.RunState.BACKOFF;
import static dev.savepoint.scheduler.run.RunState.CANCELLED;
import static dev.savepoint.scheduler.run.RunState.FAILED;
import static dev.savepoint.scheduler.run.RunState.GAVE_UP;
import static dev.savepoint.scheduler.run.RunState.LAUNCHING;
import static dev.savepoint.scheduler.run.RunState.RUNNING;
import static dev.savepoint.scheduler.run.RunState.SUBMITTED;
import static dev.savepoint.scheduler.run.RunState.SUCCEEDED;

import dev.savepoint.contracts.events.FailureReason;
import java.time.Instant;
import java.util.Objects;

/**
 * The immutable state of one run as the scheduler sees it; every event or command returns a new value and the
 * transitions it caused.
 *
 * <p>Attempt numbers are fencing tokens: an event from an attempt other than the current one, or from an attempt
 * that already ended, is ignored, so one failure of attempt n leads to at most one launch of attempt n+1 whatever
 * duplicates arrive. The attempt number stays at n during BACKOFF (so a late checkpoint commit of attempt n still
 * counts as progress) and becomes n+1 on launch.
 *
 * @param nextLaunchAt when the next attempt is due while in BACKOFF, otherwise null
 * @param lastFailure the most recent failure, null before the first
 */
public record RunLifecycle(
        String runId,
        RunState state,
        int currentAttempt,
        FailureHistory history,
        LastFailure lastFailure,
        Instant nextLaunchAt) {

    public RunLifecycle {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(history, "history");
        if (currentAttempt < 0) {
            throw new IllegalArgumentException("currentAttempt is " + currentAttempt + ": use 0 or more");
        }
    }

    /** A new run: no attempt launched yet. */
    public static RunLifecycle submitted(String runId) {
        return new RunLifecycle(runId, SUBMITTED, 0, FailureHistory.none(), null, null);
    }

    public int restarts() {
        return history.restarts();
    }

    public int consecutiveFailuresWithoutProgress() {
        return history.consecutiveFailuresWithoutProgress();
    }

    public long lastCommittedStep() {
        return history.lastCommittedStep();
    }

    /** True when the run waits in BACKOFF and its delay has passed by {@code now}. */
    public boolean launchDue(Instant now) {
        return state == BACKOFF && !now.isBefore(nextLaunchAt);
    }

    /** Launches the next attempt of a SUBMITTED run or of one whose backoff is over. */
    public LifecycleChange launch(Instant at) {
        RunState to = state.moveTo(LAUNCHING);
        int attempt = currentAttempt + 1;
        RunLifecycle launched = new RunLifecycle(runId, to, attempt, history, lastFailure, null);
        return LifecycleChange.applied(launched, new Transition(state, to, "launch attempt " + attempt, at));
    }

    /** The current attempt reported its start. */
    public LifecycleChange started(int attempt, Instant at) {
        if (attempt != currentAttempt || state != LAUNCHING) {
            return LifecycleChange.ignored(this);
        }
        return LifecycleChange.applied(withState(RUNNING), new Transition(LAUNCHING, RUNNING,
                "attempt " + attempt + " started", at));
    }

    /** A checkpoint of the current attempt was committed: the progress that resets the crash loop. */
    public LifecycleChange checkpointCommitted(int attempt, long step) {
        FailureHistory updated = history.withCommittedStep(step);
        if (attempt != currentAttempt || updated == history) {
            return LifecycleChange.ignored(this);
        }
        return LifecycleChange.applied(new RunLifecycle(runId, state, currentAttempt, updated, lastFailure,
                nextLaunchAt));
    }

    /** The current attempt failed: the policy decides between BACKOFF (then a launch) and GAVE_UP. */
    public LifecycleChange failed(RestartPolicy policy, int attempt, FailureReason reason, String message,
            Instant at) {
        if (attempt != currentAttempt || !state.attemptLive()) {
            return LifecycleChange.ignored(this);
        }
        LastFailure failure = new LastFailure(attempt, reason, message, at);
        Transition toFailed = new Transition(state, state.moveTo(FAILED), describe(failure), at);
        RestartDecision decision = policy.decide(attempt, history, reason);
        if (decision instanceof RestartDecision.Retry retry) {
            RunLifecycle backoff = new RunLifecycle(runId, FAILED.moveTo(BACKOFF), currentAttempt,
                    history.afterRetry(reason), failure, at.plus(retry.delay()));
            return LifecycleChange.decided(backoff, decision, toFailed,
                    new Transition(FAILED, BACKOFF, retry.reason(), at));
        }
        RunLifecycle gaveUp = new RunLifecycle(runId, FAILED.moveTo(GAVE_UP), currentAttempt, history, failure,
                null);
        return LifecycleChange.decided(gaveUp, decision, toFailed,
                new Transition(FAILED, GAVE_UP, decision.reason(), at));
    }

    /** The current attempt finished training; one that never reported its start is taken as started. */
    public LifecycleChange succeeded(int attempt, Instant at) {
        if (attempt != currentAttempt || !state.attemptLive()) {
            return LifecycleChange.ignored(this);
        }
        Transition done = new Transition(RUNNING, RUNNING.moveTo(SUCCEEDED), "attempt " + attempt + " succeeded", at);
        if (state == RUNNING) {
            return LifecycleChange.applied(withState(SUCCEEDED), done);
        }
        Transition implicitStart = new Transition(LAUNCHING, RUNNING,
                "attempt " + attempt + " succeeded before its start was reported", at);
        return LifecycleChange.applied(withState(SUCCEEDED), implicitStart, done);
    }

    /** A user cancelled the run; cancelling it again changes nothing. */
    public LifecycleChange cancel(Instant at) {
        if (state == CANCELLED) {
            return LifecycleChange.ignored(this);
        }
        String cause = state.attemptLive() ? "cancelled by user; attempt " + currentAttempt + " is stopped"
                : "cancelled by user";
        RunLifecycle cancelled = new RunLifecycle(runId, state.moveTo(CANCELLED), currentAttempt, history,
                lastFailure, null);
        return LifecycleChange.applied(cancelled, new Transition(state, CANCELLED, cause, at));
    }

    /** A user resumes a run that gave up or was cancelled: next attempt, fresh restart budgets. */
    public LifecycleChange resume(Instant at) {
        RunState to = state.resumeTo();
        int attempt = currentAttempt + 1;
        RunLifecycle resumed = new RunLifecycle(runId, to, attempt, history.afterResume(), lastFailure, null);
        return LifecycleChange.applied(resumed,
                new Transition(state, to, "resumed by user: launch attempt " + attempt, at));
    }

    private RunLifecycle withState(RunState to) {
        return new RunLifecycle(runId, to, currentAttempt, history, lastFailure, nextLaunchAt);
    }

    private static String describe(LastFailure failure) {
        String text = "attempt " + failure.attempt() + " failed: " + failure.reason();
        return failure.message().isBlank() ? text : text + " (" + failure.message() + ")";
    }
}
