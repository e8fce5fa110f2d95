package dev.savepoint.trainer.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the attempt API shows comes from the child process itself: RUNNING only while it is alive, even before the
 * supervisor has handled its exit.
 */
class AttemptSnapshotTest {

    @Test
    void aChildThatDiedBeforeItsExitWasHandledIsNotShownRunning() throws Exception {
        Attempt attempt = AttemptBookTest.attempt("snap", 1);
        assertEquals(AttemptState.QUEUED, attempt.snapshot().state());
        assertTrue(attempt.snapshot().alive(), "a queued attempt is alive");

        Process child = new ProcessBuilder("sleep", "600").start();
        attempt.running(child);
        assertEquals(AttemptState.RUNNING, attempt.snapshot().state());
        assertTrue(attempt.snapshot().alive());

        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "sleep did not die of SIGKILL");
        Attempt.Snapshot dead = attempt.snapshot(); // the supervisor has not called ended(...)
        assertEquals(AttemptState.FAILED, dead.state());
        assertFalse(dead.alive());
        assertEquals(137, dead.exitCode());
        assertTrue(dead.message().contains("still handling its end"), dead.message());
    }

    @Test
    void aChildAskedToStopShowsCancelledOnceItDied() throws Exception {
        Attempt attempt = AttemptBookTest.attempt("snap-cancel", 1);
        Process child = new ProcessBuilder("sleep", "600").start();
        attempt.running(child);
        assertTrue(attempt.requestCancel("superseded by attempt 2"));
        assertEquals(AttemptState.RUNNING, attempt.snapshot().state(), "alive until it dies");

        child.destroy();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "sleep did not die of SIGTERM");
        assertEquals(AttemptState.CANCELLED, attempt.snapshot().state());
        assertEquals("superseded by attempt 2", attempt.cancelReason());
    }
}
