package dev.savepoint.scheduler.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one event or command did to a run: its new lifecycle, the transitions to append to its history, the restart
 * decision when an attempt failed, and whether the event was ignored (stale attempt or duplicate).
 */
public record LifecycleChange(
        RunLifecycle lifecycle,
        List<Transition> transitions,
        Optional<RestartDecision> decision,
        boolean ignored) {

    public LifecycleChange {
        Objects.requireNonNull(lifecycle, "lifecycle");
        transitions = List.copyOf(transitions);
        Objects.requireNonNull(decision, "decision");
    }

    static LifecycleChange ignored(RunLifecycle unchanged) {
        return new LifecycleChange(unchanged, List.of(), Optional.empty(), true);
    }

    static LifecycleChange applied(RunLifecycle lifecycle, Transition... transitions) {
        return new LifecycleChange(lifecycle, List.of(transitions), Optional.empty(), false);
    }

    static LifecycleChange decided(RunLifecycle lifecycle, RestartDecision decision, Transition... transitions) {
        return new LifecycleChange(lifecycle, List.of(transitions), Optional.of(decision), false);
    }
}
