package dev.savepoint.scheduler.run;

import static dev.savepoint.scheduler.run.RunFixtures.T0;
import static dev.savepoint.scheduler.run.RunFixtures.fail;
import static dev.savepoint.scheduler.run.RunFixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLifecycleCommandsTest {

    @Test
    void happyPathRecordsEachTransition() {
        LifecycleChange launch = RunLifecycle.submitted("run-1").launch(T0);
        LifecycleChange start = launch.lifecycle().started(1, T0.plusSeconds(1));
        LifecycleChange success = start.lifecycle().succeeded(1, T0.plusSeconds(60));

        assertEquals(new Transition(RunState.SUBMITTED, RunState.LAUNCHING, "launch attempt 1", T0),
                launch.transitions().get(0));
        assertEquals(new Transition(RunState.LAUNCHING, RunState.RUNNING, "attempt 1 started", T0.plusSeconds(1)),
                start.transitions().get(0));
        assertEquals(RunState.SUCCEEDED, success.lifecycle().state());
        assertTrue(success.lifecycle().state().terminal());
    }

    @Test
    void successBeforeTheStartWasReportedPassesThroughRunning() {
        LifecycleChange success = RunLifecycle.submitted("run-1").launch(T0).lifecycle().succeeded(1, T0);

        assertEquals(List.of(RunState.RUNNING, RunState.SUCCEEDED),
                success.transitions().stream().map(Transition::to).toList());
    }

    @Test
    void cancelFromRunningStopsTheCurrentAttempt() {
        LifecycleChange cancel = running().cancel(T0);

        assertEquals(RunState.CANCELLED, cancel.lifecycle().state());
        assertEquals(new Transition(RunState.RUNNING, RunState.CANCELLED,
                "cancelled by user; attempt 1 is stopped", T0), cancel.transitions().get(0));
    }

    @Test
    void cancelFromBackoffDropsThePendingLaunch() {
        RunLifecycle backoff = fail(running(), FailureReason.CRASHED).lifecycle();

        LifecycleChange cancel = backoff.cancel(T0);

        assertEquals(RunState.CANCELLED, cancel.lifecycle().state());
        assertNull(cancel.lifecycle().nextLaunchAt());
        assertEquals(RunState.BACKOFF, cancel.transitions().get(0).from());
    }

    @Test
    void cancellingTwiceChangesNothing() {
        RunLifecycle cancelled = running().cancel(T0).lifecycle();

        assertTrue(cancelled.cancel(T0).ignored());
    }

    @Test
    void cancelAfterSuccessThrowsNamingFromAndTo() {
        RunLifecycle done = running().succeeded(1, T0).lifecycle();

        IllegalTransitionException thrown = assertThrows(IllegalTransitionException.class, () -> done.cancel(T0));

        assertTrue(thrown.getMessage().contains("SUCCEEDED -> CANCELLED"), thrown.getMessage());
    }

    @Test
    void launchWhileRunningThrowsNamingFromAndTo() {
        IllegalTransitionException thrown = assertThrows(IllegalTransitionException.class,
                () -> running().launch(T0));

        assertTrue(thrown.getMessage().contains("RUNNING -> LAUNCHING"), thrown.getMessage());
    }

    @Test
    void resumeFromGaveUpLaunchesTheNextAttemptWithFreshBudgets() {
        RunLifecycle committed = running().checkpointCommitted(1, 400).lifecycle();
        RunLifecycle gaveUp = fail(committed, FailureReason.DATA_ERROR).lifecycle();

        LifecycleChange resume = gaveUp.resume(T0.plusSeconds(5));

        RunLifecycle resumed = resume.lifecycle();
        assertEquals(RunState.LAUNCHING, resumed.state());
        assertEquals(2, resumed.currentAttempt());
        assertEquals(0, resumed.restarts());
        assertEquals(0, resumed.consecutiveFailuresWithoutProgress());
        assertEquals(400, resumed.lastCommittedStep());
        assertEquals(new Transition(RunState.GAVE_UP, RunState.LAUNCHING, "resumed by user: launch attempt 2",
                T0.plusSeconds(5)), resume.transitions().get(0));
    }

    @Test
    void resumeOfARunningRunThrows() {
        assertThrows(IllegalTransitionException.class, () -> running().resume(T0));
    }
}
