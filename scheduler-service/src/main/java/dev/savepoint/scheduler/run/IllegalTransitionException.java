package dev.savepoint.scheduler.run;

/** A run was asked to move between two states its lifecycle does not connect; the REST layer maps it to 409. */
public class IllegalTransitionException extends IllegalStateException {

    private final RunState from;
    private final RunState to;

    public IllegalTransitionException(RunState from, RunState to, String hint) {
        super("illegal run transition " + from + " -> " + to + ": " + hint);
        this.from = from;
        this.to = to;
    }

    public RunState from() {
        return from;
    }

    public RunState to() {
        return to;
    }
}
