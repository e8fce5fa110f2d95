package dev.savepoint.checkpoint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.cluster.ClusterJobs;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Periodic work once per cluster (issue 15), on the real database: replicas (here, ClusterJobs of distinct owners on
 * their own connections and threads) race for every round; the passing of time is simulated by moving the round's
 * start back in the table, so that nothing depends on the machine's speed.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ClusterJobsTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int REPLICAS = 4;

    @Inject
    DataSource dataSource;

    private final String job = "test-" + UUID.randomUUID();
    private final ExecutorService pool = Executors.newFixedThreadPool(REPLICAS + 1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private List<ClusterJobs> replicas() {
        List<ClusterJobs> all = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            all.add(new ClusterJobs(dataSource, "cluster_jobs", "replica-" + i + "-" + ClusterJobs.processOwner()));
        }
        return all;
    }

    /** The work: counts itself and how many run at once, and holds the round open for a database round trip. */
    private void work() {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select pg_sleep(0.02)")) {
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
        ran.incrementAndGet();
    }

    /** Every replica tries the job {@code tries} times at once; returns how many tries ran it. */
    private int race(List<ClusterJobs> replicas, int tries) throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (ClusterJobs replica : replicas) {
            results.add(pool.submit(() -> {
                start.await();
                int here = 0;
                for (int i = 0; i < tries; i++) {
                    here += replica.runIfDue(job, HOUR, HOUR, this::work) ? 1 : 0;
                }
                return here;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> r : results) {
            total += r.get(60, TimeUnit.SECONDS);
        }
        return total;
    }

    /** Time passes for the job: its round and the history of its rounds move back by {@code by}. */
    private void ageRound(Duration by) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update cluster_jobs set started_at = started_at - make_interval(secs => ?) where name = ?");
                PreparedStatement h = c.prepareStatement("update cluster_job_rounds set started_at = started_at"
                        + " - make_interval(secs => ?), finished_at = finished_at - make_interval(secs => ?)"
                        + " where job = ?")) {
            s.setDouble(1, by.toSeconds());
            s.setString(2, job);
            assertEquals(1, s.executeUpdate());
            h.setDouble(1, by.toSeconds());
            h.setDouble(2, by.toSeconds());
            h.setString(3, job);
            h.executeUpdate();
        }
    }

    /** The job's rounds in the history that ran twice. */
    private List<String> runTwice() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ClusterJobs.roundsRunTwice(c, "cluster_job_rounds").stream().filter(r -> r.startsWith(job + " "))
                    .toList();
        }
    }

    private long historyRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from cluster_job_rounds where job = ? and finished_at is not null")) {
            s.setString(1, job);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Object column(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select " + name + " from cluster_jobs where name = ?")) {
            s.setString(1, job);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getObject(1);
            }
        }
    }

    @Test
    void racingReplicasRunEachRoundOnceAndNeverTwoAtOnce() throws Exception {
        List<ClusterJobs> replicas = replicas();

        assertEquals(1, race(replicas, 10), "40 tries in one interval: one round");
        ageRound(HOUR); // an interval later
        assertEquals(1, race(replicas, 10), "the next interval: one more round");

        assertEquals(2, ran.get());
        assertEquals(2L, ((Number) column("rounds")).longValue());
        assertEquals(1, mostInFlight.get(), "never two rounds at once");
        assertEquals(2, historyRows(), "every round in the history, finished");
        assertEquals(List.of(), runTwice());
    }

    @Test
    void theHistoryOfManyRacedRoundsShowsNoneRunTwiceAndKeepsOnlyItsLastDay() throws Exception {
        List<ClusterJobs> replicas = replicas();
        for (int round = 0; round < 5; round++) {
            assertEquals(1, race(replicas, 3));
            ageRound(HOUR);
        }
        assertEquals(5, historyRows());
        assertEquals(List.of(), runTwice(), "one round per interval, never two at once");

        ageRound(ClusterJobs.HISTORY); // a day later the next claim prunes the old rows
        assertEquals(1, race(replicas, 1));
        assertEquals(1, historyRows());
    }

    @Test
    void roundsRunTwiceFindsARoundStartedTooSoonAfterTheLast() throws Exception {
        ClusterJobs replica = replicas().get(0);
        assertTrue(replica.runIfDue(job, HOUR, HOUR, this::work));
        ageRound(HOUR);
        assertTrue(replica.runIfDue(job, HOUR, HOUR, this::work));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into cluster_job_rounds (job, started_at, owner, finished_at, interval_ms, stale_after_ms)"
                        + " select job, started_at + interval '1 minute', 'intruder', finished_at + interval '2 minutes',"
                        + " interval_ms, stale_after_ms from cluster_job_rounds where job = ? order by started_at desc"
                        + " limit 1")) {
            s.setString(1, job);
            assertEquals(1, s.executeUpdate()); // a round a minute after the last, as a replica without the claim would
        }
        List<String> twice = runTwice();
        assertEquals(1, twice.size(), twice.toString());
        assertTrue(twice.get(0).contains("by intruder"), twice.get(0));
    }

    @Test
    void aRoundThatFailedIsDueAgainAtItsNextIntervalNotBefore() throws Exception {
        ClusterJobs replica = replicas().get(0);
        assertThrows(IllegalStateException.class, () -> replica.runIfDue(job, HOUR, HOUR, () -> {
            throw new IllegalStateException("the round failed");
        }));
        assertTrue(column("finished_at") != null, "a failed round is finished, not left for dead");
        assertFalse(replica.runIfDue(job, HOUR, HOUR, this::work), "not due before its interval");
        ageRound(HOUR);
        assertTrue(replica.runIfDue(job, HOUR, HOUR, this::work));
    }

    @Test
    void aRoundWhoseReplicaDiedIsRunAgainAfterStaleAfterByAnother() throws Exception {
        List<ClusterJobs> replicas = replicas();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Future<Boolean> dead = pool.submit(() -> replicas.get(0).runIfDue(job, Duration.ZERO, HOUR, () -> {
            claimed.countDown();
            try {
                never.await(); // hung or killed: the round is never finished by this replica
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(claimed.await(60, TimeUnit.SECONDS));

        assertFalse(replicas.get(1).runIfDue(job, Duration.ZERO, HOUR, this::work),
                "a round still running is not run twice, even when the interval has passed");
        ageRound(HOUR.plusSeconds(1)); // its replica has been silent past staleAfter
        assertTrue(replicas.get(1).runIfDue(job, Duration.ZERO, HOUR, this::work), "taken over");
        assertTrue(String.valueOf(column("owner")).startsWith("replica-1-"));

        assertEquals(List.of(), runTwice(), "a takeover after staleAfter is not a round run twice");

        never.countDown(); // the old replica comes back (a zombie): its finish changes nothing
        assertTrue(dead.get(60, TimeUnit.SECONDS));
        assertTrue(String.valueOf(column("owner")).startsWith("replica-1-"));
        assertEquals(1, ran.get());
    }
}
