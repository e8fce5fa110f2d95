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

    private void ageRound(Duration by) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update cluster_jobs set started_at = started_at - make_interval(secs => ?) where name = ?")) {
            s.setDouble(1, by.toSeconds());
            s.setString(2, job);
            assertEquals(1, s.executeUpdate());
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

        never.countDown(); // the old replica comes back (a zombie): its finish changes nothing
        assertTrue(dead.get(60, TimeUnit.SECONDS));
        assertTrue(String.valueOf(column("owner")).startsWith("replica-1-"));
        assertEquals(1, ran.get());
    }
}
