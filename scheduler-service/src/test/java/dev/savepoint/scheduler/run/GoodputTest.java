package dev.savepoint.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GoodputTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final double EPS = 1e-9;

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Goodput.AttemptRecord attempt(int n, long launched, Long started, Long ended, Long heartbeat,
            FailureReason cause, Long resume, Long last, Long caughtUp) {
        return new Goodput.AttemptRecord(n, t(launched), started == null ? null : t(started),
                ended == null ? null : t(ended), heartbeat == null ? null : t(heartbeat), cause, cause != null, resume,
                last, caughtUp == null ? null : t(caughtUp));
    }

    @Test
    void aKillAfterTheNewestCheckpointCostsItsDetectionRelaunchAndTheRecomputedSteps() {
        var account = Goodput.of(T0, List.of(
                attempt(1, 0, 10L, 70L, 68L, FailureReason.KILLED, null, 60L, 10L),
                attempt(2, 72, 80L, 150L, 150L, null, 40L, 100L, 100L)),
                List.of(new Goodput.Stop(t(150), null)), 100L, t(999));

        assertEquals(150, account.wallSeconds(), EPS);
        assertEquals(new Goodput.AttemptAccount(1, 10, 0, 60, 0, 20), account.attempts().get(0));
        assertEquals(new Goodput.AttemptAccount(2, 0, 10, 70, 20, 0), account.attempts().get(1));
        assertEquals(130, account.trainingSeconds(), EPS);
        assertEquals(110, account.usefulSeconds(), EPS);
        assertEquals(20, account.lostSteps());
        assertEquals(110.0 / 150, account.goodput(), EPS);
    }

    @Test
    void aSilentDeathCountsFromItsLastHeartbeatAsRelaunchWait() {
        var account = Goodput.of(T0, List.of(
                attempt(1, 0, 5L, 60L, 30L, FailureReason.HEARTBEAT_LOST, null, 30L, 5L),
                attempt(2, 60, 65L, null, 90L, null, 30L, 50L, 65L)), List.of(), 30L, t(100));

        assertEquals(25, account.attempts().get(0).trainingSeconds(), EPS);
        assertEquals(0, account.attempts().get(0).lostSteps());
        assertEquals(35, account.attempts().get(1).relaunchWaitSeconds(), EPS);
        assertEquals(35, account.attempts().get(1).trainingSeconds(), EPS, "a live attempt trains until now");
        assertEquals(0, account.attempts().get(1).recomputeSeconds(), EPS, "resumed at the furthest step");
        assertEquals(60.0 / 100, account.goodput(), EPS);
    }

    @Test
    void timeStoppedBeforeAUsersResumeIsNotWallTimeAndTheRelaunchIsStartup() {
        var account = Goodput.of(T0, List.of(
                attempt(1, 0, 10L, 50L, 50L, FailureReason.CRASHED, null, 40L, 10L),
                attempt(2, 1050, 1060L, 1100L, 1100L, null, 20L, 80L, 1070L)),
                List.of(new Goodput.Stop(t(50), t(1050)), new Goodput.Stop(t(1100), null)), 80L, t(5000));

        assertEquals(50 + 50, account.wallSeconds(), EPS);
        assertEquals(10, account.attempts().get(1).startupSeconds(), EPS);
        assertEquals(0, account.attempts().get(1).relaunchWaitSeconds(), EPS);
        assertEquals(10, account.attempts().get(1).recomputeSeconds(), EPS);
        assertEquals(20, account.attempts().get(0).lostSteps());
    }

    @Test
    void anAttemptThatNeverStartedIsAllWaitAndAStillRecomputingOneIsAllRecompute() {
        var account = Goodput.of(T0, List.of(
                attempt(1, 0, 10L, 40L, 40L, FailureReason.KILLED, null, 30L, 10L),
                attempt(2, 40, null, 100L, null, FailureReason.LAUNCH_FAILED, null, null, null),
                attempt(3, 100, 110L, null, 120L, null, 0L, 20L, null)), List.of(), null, t(130));

        assertEquals(60, account.attempts().get(1).relaunchWaitSeconds(), EPS);
        assertEquals(10, account.attempts().get(2).relaunchWaitSeconds(), EPS);
        assertEquals(20, account.attempts().get(2).recomputeSeconds(), EPS);
        assertEquals(30, account.attempts().get(0).lostSteps(), "attempt 3 started over from step 0");
        assertEquals(30.0 / 130, account.goodput(), EPS);
    }

    @Test
    void aRunWithNoTimeYetHasGoodputZero() {
        var account = Goodput.of(T0, List.of(), List.of(), null, T0);
        assertEquals(0, account.goodput());
        assertEquals(0, account.wallSeconds());
    }

    /** Random timelines of restarts: the parts never exceed the whole and goodput stays within 0..1. */
    @Property(tries = 300)
    void thePartsOfARunNeverExceedItsWallTime(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 500) Integer> gaps,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 500) Integer> durations,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100) Integer> steps) {
        int n = Math.min(gaps.size(), Math.min(durations.size(), steps.size()));
        List<Goodput.AttemptRecord> attempts = new ArrayList<>();
        long clock = 0;
        long resume = 0;
        for (int i = 0; i < n; i++) {
            long launched = clock;
            long started = launched + gaps.get(i);
            long ended = started + durations.get(i);
            long last = resume + steps.get(i);
            boolean lastOne = i == n - 1;
            attempts.add(attempt(i + 1, launched, started, lastOne ? null : ended, ended,
                    lastOne ? null : FailureReason.KILLED, resume, last, started + durations.get(i) / 2));
            resume = resume + steps.get(i) / 2;
            clock = ended + gaps.get(i);
        }
        var account = Goodput.of(T0, attempts, List.of(), resume, t(clock + 1));

        assertTrue(account.goodput() >= 0 && account.goodput() <= 1, "goodput " + account.goodput());
        assertTrue(account.trainingSeconds() + account.startupSeconds() + account.relaunchWaitSeconds()
                <= account.wallSeconds() + EPS, account.toString());
        assertTrue(account.recomputeSeconds() <= account.trainingSeconds() + EPS, account.toString());
        assertTrue(account.lostSteps() >= 0, account.toString());
    }
}
