package dev.savepoint.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic leases are judged on: the horizon H, visibleSince V and the rule H - max(lastHeartbeat, V) > lease,
 * driven by a clock of the test's own (every time is passed in; no sleeps).
 */
class VisibilityTest {

    private static final TopicPartition P0 = new TopicPartition("savepoint.runs", 0);
    private static final TopicPartition P1 = new TopicPartition("savepoint.runs", 1);
    private static final Duration TOLERANCE = Duration.ofSeconds(3);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant t(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    /** A scheduler started at T0 whose consumer has read P0 and P1 up to {@code upTo} (committed offsets). */
    private static Visibility caughtUpAt(long upTo, double at) {
        Visibility v = new Visibility(TOLERANCE, T0);
        v.probed(t(at), Map.of(P0, upTo, P1, upTo), Map.of(P0, upTo, P1, upTo), t(at));
        return v;
    }

    /** One probe a second from {@code from} to {@code to}, each read up to at once (nothing new is produced). */
    private static void quietProbes(Visibility v, long end, double from, double to) {
        for (double s = from; s <= to; s += 1) {
            v.probed(t(s), Map.of(P0, end, P1, end), Map.of(), t(s));
        }
    }

    @Test
    void atStartTheSchedulerIsBlindUntilAProbeIsReadUpTo() {
        Visibility v = new Visibility(TOLERANCE, T0);
        assertFalse(v.snapshot(t(100)).caughtUp(), "nothing probed yet");
        assertFalse(v.snapshot(t(100)).expired(T0.minusSeconds(3600), LEASE), "a blind scheduler expires no lease");

        // The backlog: P0 ends at 10, the group had committed 4 (the baseline), nothing processed yet.
        v.probed(t(1), Map.of(P0, 10L), Map.of(P0, 4L), t(1));
        assertFalse(v.snapshot(t(1.5)).caughtUp());
        for (long offset = 4; offset < 10; offset++) {
            v.processed(P0, offset, t(1.5));
        }
        var seen = v.snapshot(t(1.5));
        assertTrue(seen.caughtUp(), seen.blindReason());
        assertEquals(t(1), seen.visibleSince());
        assertEquals(t(1), seen.horizon());
    }

    @Test
    void aLeaseExpiresOnlyWhenTheHorizonIsALeasePastTheLaterOfTheHeartbeatAndVisibleSince() {
        Visibility v = caughtUpAt(7, 10);
        Instant heartbeat = t(2); // long before the scheduler could see: only time since V counts
        quietProbes(v, 7, 11, 15);
        var seen = v.snapshot(t(15));
        assertEquals(Duration.ofSeconds(5), seen.seenSince(heartbeat), "H - V = 15 - 10");
        assertFalse(seen.expired(heartbeat, LEASE), "exactly the lease is not more than the lease");
        quietProbes(v, 7, 16, 16);
        assertTrue(v.snapshot(t(16)).expired(heartbeat, LEASE));
        assertFalse(v.snapshot(t(16)).expired(t(12), LEASE), "a heartbeat at 12 runs to 17");
    }

    @Test
    void aFailedProbeResetsVisibleSinceAndTheBlindTimeNeverCounts() {
        Visibility v = caughtUpAt(7, 0);
        quietProbes(v, 7, 1, 3);
        v.probeFailed(t(4), "broker unreachable");
        var blind = v.snapshot(t(60));
        assertFalse(blind.caughtUp());
        assertTrue(blind.blindReason().contains("broker unreachable"), blind.blindReason());
        assertFalse(blind.expired(t(0), LEASE), "56 s of outage expire nothing");

        quietProbes(v, 7, 60, 64);
        var back = v.snapshot(t(64));
        assertEquals(t(60), back.visibleSince());
        assertEquals(Duration.ofSeconds(4), back.seenSince(t(0)), "only the 4 s seen since the broker came back");
        assertFalse(back.expired(t(0), LEASE));
    }

    @Test
    void aConsumerLaggingBeyondTheToleranceIsBlindUntilItReadsAProbeInTime() {
        Visibility v = caughtUpAt(7, 0);
        // Records arrive (ends move to 20) but the consumer is stuck at 7 (a record in transient retry).
        for (int s = 1; s <= 5; s++) {
            v.probed(t(s), Map.of(P0, 20L, P1, 7L), Map.of(), t(s));
        }
        var lagging = v.snapshot(t(5));
        assertFalse(lagging.caughtUp(), "the probe of 1 s is unread at 5 s: beyond the 3 s tolerance");
        assertEquals(t(0), lagging.horizon());

        for (long offset = 7; offset < 20; offset++) {
            v.processed(P0, offset, t(5.5)); // the backlog is read, late for the probes of 1..2
        }
        var late = v.snapshot(t(5.5));
        assertFalse(late.caughtUp(), "probes read late do not open a stretch");
        assertEquals(t(5), late.horizon(), "but they move the horizon");

        v.probed(t(6), Map.of(P0, 20L, P1, 7L), Map.of(), t(6.2));
        var back = v.snapshot(t(6.2));
        assertEquals(t(6), back.visibleSince());
    }

    @Test
    void aLagWithinTheToleranceKeepsTheStretch() {
        Visibility v = caughtUpAt(7, 0);
        v.probed(t(1), Map.of(P0, 8L, P1, 7L), Map.of(), t(1));
        v.processed(P0, 7, t(2.5));
        var seen = v.snapshot(t(2.5));
        assertEquals(t(0), seen.visibleSince());
        assertEquals(t(1), seen.horizon());
    }

    @Test
    void aProbeMadeBeforeABreakNeverOpensAStretch() {
        Visibility v = caughtUpAt(7, 0);
        v.probed(t(1), Map.of(P0, 8L, P1, 7L), Map.of(), t(1)); // pending
        v.probeFailed(t(2), "no partition of savepoint.runs is assigned to the consumer");
        v.processed(P0, 7, t(2.5)); // the probe of 1 s was cleared with the failure
        var seen = v.snapshot(t(2.5));
        assertFalse(seen.caughtUp());
        assertNull(seen.visibleSince());
    }

    @Test
    void onlyPartitionsWithNothingProcessedNeedABaseline() {
        Visibility v = new Visibility(TOLERANCE, T0);
        v.processed(P0, 3, t(1));
        assertEquals(Set.of(P1), v.withoutBaseline(Set.of(P0, P1)));
    }
}
