package dev.savepoint.scheduler.run;

import java.util.EnumSet;
import java.util.Set;

/** Where a run stands in its lifecycle, and which moves between those states are legal. */
public enum RunState {
    /** Accepted, no attempt launched yet. */
    SUBMITTED,
    /** An attempt was asked to start; its start has not been reported yet. */
    LAUNCHING,
    /** The current attempt reported its start and is training. */
    RUNNING,
    /** Waiting out the restart delay before the next attempt is launched. */
    BACKOFF,
    /** The run finished its training. */
    SUCCEEDED,
    /** Transient: the current attempt failed and the restart decision is being made. */
    FAILED,
    /** The restart policy stopped retrying; a user may resume the run. */
    GAVE_UP,
    /** A user cancelled the run; a user may resume it. */
    CANCELLED;

    /** A terminal run launches no more attempts unless a user resumes it. */
    public boolean terminal() {
        return this == SUCCEEDED || this == GAVE_UP || this == CANCELLED;
    }

    /** True while an attempt of the run may be alive, so its events still apply. */
    public boolean attemptLive() {
        return this == LAUNCHING || this == RUNNING;
    }

    /** Only a run that gave up or was cancelled can be resumed by a user. */
    public boolean resumable() {
        return this == GAVE_UP || this == CANCELLED;
    }

    /** The states reachable from this one without a user resume. */
    public Set<RunState> next() {
        return switch (this) {
            case SUBMITTED -> EnumSet.of(LAUNCHING);
            case LAUNCHING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case FAILED -> EnumSet.of(BACKOFF, GAVE_UP);
            case BACKOFF -> EnumSet.of(LAUNCHING, CANCELLED);
            case SUCCEEDED, GAVE_UP, CANCELLED -> EnumSet.noneOf(RunState.class);
        };
    }

    public boolean canMoveTo(RunState to) {
        return next().contains(to);
    }

    /** Returns {@code to}, or throws naming both states when the move is not legal. */
    public RunState moveTo(RunState to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to, "legal from " + this + ": " + next());
        }
        return to;
    }

    /** Returns LAUNCHING, or throws when a user may not resume a run in this state. */
    public RunState resumeTo() {
        if (!resumable()) {
            throw new IllegalTransitionException(this, LAUNCHING, "only a GAVE_UP or CANCELLED run can be resumed");
        }
        return LAUNCHING;
    }
}
