package dev.savepoint.checkpoint;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Retention (keepLast 1) running at the same time as lease-newest and as a commit of a newer checkpoint, on the real
 * PostgreSQL: the checkpoint lease-newest returns is never claimed for deletion, and the run always keeps a committed
 * checkpoint. Each round starts the three at one barrier, each after a seeded number of yields, so the rounds cover
 * the orders (lease first, claim first, commit in between) without depending on how fast a thread runs.
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
