package dev.savepoint.scheduler.run;

import static dev.savepoint.scheduler.run.RunFixtures.DEFAULT_POLICY;
import static dev.savepoint.scheduler.run.RunFixtures.T0;
import static dev.savepoint.scheduler.run.RunFixtures.fail;
import static dev.savepoint.scheduler.run.RunFixtures.failAndRelaunch;
import static dev.savepoint.scheduler.run.RunFixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RestartSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLifecycleRestartTest {

    private static final RestartPolicy GENEROUS_CRASH_LOOP =
            RestartPolicy.of(new RestartSpec(5, 1000L, 2.0, 5000L, 10));

    @Test
    void failureMovesThroughFailedToBackoffDueAfterTheDelay() {
        LifecycleChange change = fail(running(), FailureReason.CRASHED);

        assertEquals(List.of(RunState.RUNNING, RunState.FAILED),
                change.transitions().stream().map(Transition::from).toList());
        assertEquals(List.of(RunState.FAILED, RunState.BACKOFF),
                change.transitions().stream().map(Transition::to).toList());
        assertEquals(T0.plusMillis(500), change.lifecycle().nextLaunchAt());
        assertFalse(change.lifecycle().launchDue(T0.plusMillis(499)));
        assertTrue(change.lifecycle().launchDue(T0.plusMillis(500)));
        assertEquals(new LastFailure(1, FailureReason.CRASHED, "boom", T0), change.lifecycle().lastFailure());
    }

    @Test
    void launchAfterBackoffStartsTheNextAttempt() {
        RunLifecycle backoff = fail(running(), FailureReason.CHECKPOINT_CORRUPT).lifecycle();

        LifecycleChange launch = backoff.launch(T0.plusSeconds(1));

        assertEquals(RunState.LAUNCHING, launch.lifecycle().state());
        assertEquals(2, launch.lifecycle().currentAttempt());
        assertEquals(new Transition(RunState.BACKOFF, RunState.LAUNCHING, "launch attempt 2", T0.plusSeconds(1)),
                launch.transitions().get(0));
    }

    @Test
    void invalidSpecAndDataErrorGiveUpWithoutRetry() {
        for (FailureReason reason : List.of(FailureReason.INVALID_SPEC, FailureReason.DATA_ERROR)) {
            LifecycleChange change = fail(running(), reason);

            assertEquals(RunState.GAVE_UP, change.lifecycle().state());
            assertEquals(0, change.lifecycle().restarts());
            assertTrue(change.transitions().get(1).cause().contains(reason.name()));
        }
    }

    @Test
    void crashLoopStopsAtItsLimitWithTheReason() {
        RunLifecycle run = failAndRelaunch(running(), DEFAULT_POLICY, FailureReason.CRASHED);
        run = failAndRelaunch(run, DEFAULT_POLICY, FailureReason.CRASHED);

        LifecycleChange third = fail(run, FailureReason.CRASHED);

        assertEquals(RunState.GAVE_UP, third.lifecycle().state());
        assertEquals(new RestartDecision.GiveUp("crash loop: 3 failures without a new checkpoint"),
                third.decision().orElseThrow());
        assertEquals("crash loop: 3 failures without a new checkpoint", third.transitions().get(1).cause());
    }

    @Test
    void progressResetsTheCrashLoopAndTheBackoff() {
        RunLifecycle run = failAndRelaunch(running(), DEFAULT_POLICY, FailureReason.CRASHED);
        run = failAndRelaunch(run, DEFAULT_POLICY, FailureReason.CRASHED);
        run = run.checkpointCommitted(run.currentAttempt(), 300).lifecycle();

        LifecycleChange third = fail(run, FailureReason.CRASHED);

        assertEquals(RunState.BACKOFF, third.lifecycle().state());
        assertEquals(1, third.lifecycle().consecutiveFailuresWithoutProgress());
        assertEquals(T0.plusMillis(500), third.lifecycle().nextLaunchAt());
    }

    @Test
    void backoffGrowsExponentiallyAndIsCappedAcrossFailures() {
        RunLifecycle run = running();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RunLifecycle backoff = run.failed(GENEROUS_CRASH_LOOP, run.currentAttempt(), FailureReason.KILLED, "",
                    T0).lifecycle();
            delays.add(Duration.between(T0, backoff.nextLaunchAt()).toMillis());
            run = failAndRelaunch(run, GENEROUS_CRASH_LOOP, FailureReason.KILLED);
        }

        assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L), delays);
    }

    @Test
    void maxRestartsGivesUpOnTheFailureAfterTheLastRestart() {
        RunLifecycle run = running();
        for (int restart = 1; restart <= 5; restart++) {
            run = failAndRelaunch(run, GENEROUS_CRASH_LOOP, FailureReason.CRASHED);
        }

        LifecycleChange sixth = run.failed(GENEROUS_CRASH_LOOP, 6, FailureReason.CRASHED, "", T0);

        assertEquals(5, run.restarts());
        assertEquals(RunState.GAVE_UP, sixth.lifecycle().state());
        assertEquals(new RestartDecision.GiveUp("restart limit 5 reached"), sixth.decision().orElseThrow());
    }

    @Test
    void preemptionNeitherUsesARestartNorFeedsTheCrashLoop() {
        RunLifecycle run = running();
        for (int i = 0; i < 4; i++) {
            run = failAndRelaunch(run, DEFAULT_POLICY, FailureReason.PREEMPTED);
        }

        LifecycleChange preempted = fail(run, FailureReason.PREEMPTED);

        assertEquals(RunState.BACKOFF, preempted.lifecycle().state());
        assertEquals(T0, preempted.lifecycle().nextLaunchAt());
        assertEquals(0, preempted.lifecycle().restarts());
        assertEquals(5, preempted.lifecycle().history().preemptions());
        assertEquals(0, preempted.lifecycle().consecutiveFailuresWithoutProgress());
    }
}
