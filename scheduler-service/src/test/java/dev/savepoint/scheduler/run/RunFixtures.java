package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RestartSpec;
import java.time.Instant;

/** Builds runs in a given state for the lifecycle tests, with a fixed clock and the default restart spec. */
final class RunFixtures {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final RestartPolicy DEFAULT_POLICY = RestartPolicy.of(RestartSpec.defaults());

    private RunFixtures() {
    }

    /** A run whose attempt 1 reported its start. */
    static RunLifecycle running() {
        RunLifecycle launched = RunLifecycle.submitted("run-1").launch(T0).lifecycle();
        return launched.started(1, T0).lifecycle();
    }

    /** Fails the current attempt of a run with the default policy. */
    static LifecycleChange fail(RunLifecycle run, FailureReason reason) {
        return run.failed(DEFAULT_POLICY, run.currentAttempt(), reason, "boom", T0);
    }

    /** Fails the current attempt, launches and starts the next one: the run is RUNNING again. */
    static RunLifecycle failAndRelaunch(RunLifecycle run, RestartPolicy policy, FailureReason reason) {
        RunLifecycle backoff = run.failed(policy, run.currentAttempt(), reason, "boom", T0).lifecycle();
        RunLifecycle launched = backoff.launch(backoff.nextLaunchAt()).lifecycle();
        return launched.started(launched.currentAttempt(), T0).lifecycle();
    }
}
