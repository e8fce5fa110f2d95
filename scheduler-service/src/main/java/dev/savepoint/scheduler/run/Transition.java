package dev.savepoint.scheduler.run;

import java.time.Instant;
import java.util.Objects;

/** One move of a run between two states, with its cause, for the audit history. */
public record Transition(RunState from, RunState to, String cause, Instant at) {

    public Transition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        cause = cause == null ? "" : cause;
    }
}
