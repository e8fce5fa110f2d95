package dev.savepoint.scheduler.run;

import static dev.savepoint.scheduler.run.RunFixtures.DEFAULT_POLICY;
import static dev.savepoint.scheduler.run.RunFixtures.T0;
import static dev.savepoint.scheduler.run.RunFixtures.fail;
import static dev.savepoint.scheduler.run.RunFixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLifecycleFencingTest {

    @Test
    void duplicateFailureEventsCauseOneRetry() {
        RunLifecycle run = running();
        LifecycleChange first = fail(run, FailureReason.CRASHED);
        LifecycleChange duplicate = fail(first.lifecycle(), FailureReason.CRASHED);
        // the duplicate may also arrive after attempt 2 was launched
        RunLifecycle relaunched = first.lifecycle().launch(T0).lifecycle();
        LifecycleChange lateDuplicate = relaunched.failed(DEFAULT_POLICY, 1, FailureReason.CRASHED, "boom", T0);

        assertTrue(first.decision().isPresent());
        assertTrue(duplicate.ignored());
        assertSame(first.lifecycle(), duplicate.lifecycle());
        assertEquals(List.of(), duplicate.transitions());
        assertTrue(lateDuplicate.ignored());
        assertEquals(1, relaunched.restarts());
        assertEquals(2, relaunched.currentAttempt());
    }

    @Test
    void staleAttemptsFailureIsIgnored() {
        RunLifecycle attempt2 = RunFixtures.failAndRelaunch(running(), DEFAULT_POLICY, FailureReason.KILLED);

        LifecycleChange stale = attempt2.failed(DEFAULT_POLICY, 1, FailureReason.HEARTBEAT_LOST, "late", T0);

        assertTrue(stale.ignored());
        assertSame(attempt2, stale.lifecycle());
        assertEquals(RunState.RUNNING, stale.lifecycle().state());
        assertTrue(stale.decision().isEmpty());
    }

    @Test
    void failureOfAFutureAttemptIsIgnored() {
        RunLifecycle run = running();

        assertTrue(run.failed(DEFAULT_POLICY, 2, FailureReason.CRASHED, "", T0).ignored());
    }

    @Test
    void duplicateStartIsIgnored() {
        RunLifecycle run = running();

        LifecycleChange again = run.started(1, T0);

        assertTrue(again.ignored());
        assertEquals(RunState.RUNNING, again.lifecycle().state());
    }

    @Test
    void failureAfterSuccessIsIgnored() {
        RunLifecycle done = running().succeeded(1, T0).lifecycle();

        LifecycleChange late = fail(done, FailureReason.HEARTBEAT_LOST);

        assertTrue(late.ignored());
        assertEquals(RunState.SUCCEEDED, late.lifecycle().state());
    }

    @Test
    void staleAttemptsSuccessIsIgnored() {
        RunLifecycle attempt2 = RunFixtures.failAndRelaunch(running(), DEFAULT_POLICY, FailureReason.CRASHED);

        assertTrue(attempt2.succeeded(1, T0).ignored());
    }

    @Test
    void staleAttemptsCheckpointCommitIsIgnored() {
        RunLifecycle attempt2 = RunFixtures.failAndRelaunch(running(), DEFAULT_POLICY, FailureReason.CRASHED);

        LifecycleChange stale = attempt2.checkpointCommitted(1, 500);

        assertTrue(stale.ignored());
        assertEquals(FailureHistory.NO_STEP, stale.lifecycle().lastCommittedStep());
    }

    @Test
    void commitOfTheFailedAttemptDuringBackoffStillCounts() {
        RunLifecycle backoff = fail(running(), FailureReason.PREEMPTED).lifecycle();

        LifecycleChange lateCommit = backoff.checkpointCommitted(1, 700);

        assertFalse(lateCommit.ignored());
        assertEquals(700, lateCommit.lifecycle().lastCommittedStep());
    }

    @Test
    void repeatedOrOlderCommitChangesNothing() {
        RunLifecycle committed = running().checkpointCommitted(1, 200).lifecycle();

        assertTrue(committed.checkpointCommitted(1, 200).ignored());
        assertTrue(committed.checkpointCommitted(1, 100).ignored());
        assertEquals(200, committed.lastCommittedStep());
    }
}
