package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.domain.TransitionEntity;
import java.time.Instant;

/** One recorded state change of a run. */
public record TransitionView(String from, String to, String cause, Instant at) {

    static TransitionView of(TransitionEntity t) {
        return new TransitionView(t.fromState.name(), t.toState.name(), t.cause, t.at);
    }
}
