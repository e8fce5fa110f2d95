package dev.savepoint.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.checkpoint.service.LeaseService;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestSeed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Retention (keepLast 1) running at the same time as lease-newest and as a commit of a newer checkpoint, on the real
 * PostgreSQL: the checkpoint lease-newest returns is never claimed for deletion, and the run always keeps a committed
 * checkpoint. The seeded rounds start the three at one barrier, each after a seeded number of yields; the two forced
 * orders hold one transaction open (until another is seen waiting for a lock) to cover the narrow windows for sure.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class RetentionRacesLeaseNewestTest {

    private static final int ROUNDS = 40;

    @Inject
    GcExecutor gc;
    @Inject
    LeaseService leases;
    @Inject
    CheckpointRepository checkpoints;
    @Inject
    RunRepository runs;
    @Inject
    CheckpointConfig config;

    @Test
    void retentionRunningWithLeaseNewestNeverDeletesTheLeasedCheckpoint() throws Exception {
        TestSeed seed = TestSeed.of("retentionRunningWithLeaseNewestNeverDeletesTheLeasedCheckpoint");
        String runId = "lnr-" + UUID.randomUUID().toString().substring(0, 8); // not cps-: only this test collects it
        createRun(runId);
        commit(runId, 10);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        int deleted = 0;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                String holder = runId + "/round-" + round;
                long newer = 10L * round + 10;
                CyclicBarrier start = new CyclicBarrier(3);
                Future<Integer> collect = pool.submit(racer(start, seed, () -> gc.collect(runId)));
                Future<LeaseService.Leased> lease = pool.submit(racer(start, seed,
                        () -> leases.leaseNewest(runId, 600, holder)));
                Future<String> commit = pool.submit(racer(start, seed, () -> commit(runId, newer)));
                deleted += collect.get(60, TimeUnit.SECONDS);
                commit.get(60, TimeUnit.SECONDS);
                String leased = lease.get(60, TimeUnit.SECONDS).checkpoint().id;

                String round0 = "round " + round + ", " + seed;
                assertEquals(CheckpointState.COMMITTED, stateOf(leased), "leased " + leased + " was claimed; " + round0);
                deleted += gc.collect(runId); // a collection after the race respects the lease too
                assertEquals(CheckpointState.COMMITTED, stateOf(leased), "leased " + leased + " deleted; " + round0);
                assertTrue(QuarkusTransaction.requiringNew().call(() -> checkpoints.newestCommitted(runId))
                        .isPresent(), "the run lost its newest committed checkpoint; " + round0);
                UUID leaseId = lease.get().lease().id;
                leases.release(leaseId); // the next rounds may delete it
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("lease-newest vs retention: %d rounds, %d checkpoints deleted meanwhile%n", ROUNDS, deleted);
        assertTrue(deleted >= ROUNDS - 1, "retention deleted only " + deleted + " checkpoints: it did not really race");
    }

    /**
     * Forced order 1: lease-newest has chosen and locked X but not committed its lease when a newer checkpoint commits
     * and retention decides X goes (it cannot see the lease yet). The claim waits for X's row lock, then sees the lease.
     */
    @Test
    void aClaimWaitingForTheRowLockSeesTheLeaseCommittedMeanwhile() throws Exception {
        String runId = "lnr-" + UUID.randomUUID().toString().substring(0, 8);
        createRun(runId);
        String chosen = commit(runId, 10);
        CountDownLatch leased = new CountDownLatch(1);
        CountDownLatch commitLease = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> lease = pool.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                String id = leases.leaseNewest(runId, 600, "held-open").checkpoint().id; // joins this transaction
                leased.countDown();
                commitLease.await(60, TimeUnit.SECONDS);
                return id;
            }));
            assertTrue(leased.await(60, TimeUnit.SECONDS));
            commit(runId, 20);
            long waitingBefore = waitingForLocks();
            Future<Integer> collect = pool.submit(() -> gc.collect(runId));
            await().atMost(Duration.ofSeconds(60)).until(() -> waitingForLocks() > waitingBefore || collect.isDone());
            commitLease.countDown();
            assertEquals(chosen, lease.get(60, TimeUnit.SECONDS));
            assertEquals(0, collect.get(60, TimeUnit.SECONDS), "retention deleted the leased checkpoint");
            assertEquals(CheckpointState.COMMITTED, stateOf(chosen));
        } finally {
            commitLease.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Forced order 2: retention has claimed X (DELETING, not yet committed) when lease-newest chooses X. Lease-newest
     * waits for X's row lock, re-reads it, and leases the next newest committed checkpoint instead.
     */
    @Test
    void leaseNewestWaitingForTheRowLockTakesTheNextNewestWhenRetentionClaimedIt() throws Exception {
        String runId = "lnr-" + UUID.randomUUID().toString().substring(0, 8);
        createRun(runId);
        String older = commit(runId, 10);
        String newest = commit(runId, 20);
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch commitClaim = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> claim = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                checkpoints.lock(newest).state = CheckpointState.DELETING; // as a claim leaves it, e.g. a user delete
                checkpoints.flush();
                claimed.countDown();
                awaitQuietly(commitClaim);
            }));
            assertTrue(claimed.await(60, TimeUnit.SECONDS));
            long waitingBefore = waitingForLocks();
            Future<LeaseService.Leased> lease = pool.submit(() -> leases.leaseNewest(runId, 600, "after-claim"));
            await().atMost(Duration.ofSeconds(60)).until(() -> waitingForLocks() > waitingBefore || lease.isDone());
            commitClaim.countDown();
            claim.get(60, TimeUnit.SECONDS);
            assertEquals(older, lease.get(60, TimeUnit.SECONDS).checkpoint().id,
                    "lease-newest leased a checkpoint retention had claimed");
        } finally {
            commitClaim.countDown();
            pool.shutdownNow();
        }
    }

    /** Sessions of this database waiting for a lock another transaction holds (a row lock waits as 'Lock'). */
    private long waitingForLocks() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) checkpoints.getEntityManager().createNativeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .getSingleResult()).longValue());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> Callable<T> racer(CyclicBarrier start, TestSeed seed, Callable<T> action) {
        long yields = seed.between(0, 200);
        return () -> {
            start.await(60, TimeUnit.SECONDS);
            for (long i = 0; i < yields; i++) {
                Thread.yield();
            }
            return action.call();
        };
    }

    private CheckpointState stateOf(String id) {
        return QuarkusTransaction.requiringNew().call(() -> checkpoints.findById(id).state);
    }

    private void createRun(String runId) {
        QuarkusTransaction.requiringNew().run(() -> {
            Run run = new Run();
            run.runId = runId;
            run.state = RunState.RUNNING;
            run.currentAttempt = 1;
            run.retention = new RetentionSpec(1, 0, "loss", "min", 0, null);
            run.createdAt = Instant.now();
            run.updatedAt = run.createdAt;
            runs.persist(run);
        });
    }

    /** A committed row as a commit leaves it (its objects are not needed: deleting a missing object succeeds). */
    private String commit(String runId, long step) {
        return QuarkusTransaction.requiringNew().call(() -> {
            runs.lock(runId); // as the commit consumer does
            Checkpoint row = new Checkpoint();
            row.id = CheckpointManifest.checkpointId(runId, step, 1);
            row.runId = runId;
            row.step = step;
            row.attempt = 1;
            row.bucket = config.s3().bucket();
            row.prefix = CheckpointManifest.prefix(runId, step, 1);
            row.state = CheckpointState.COMMITTED;
            row.files = new ArrayList<>(List.of());
            row.totalBytes = 1;
            row.createdAt = Instant.now();
            row.committedAt = row.createdAt;
            checkpoints.persist(row);
            return row.id;
        });
    }
}
