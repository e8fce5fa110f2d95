package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Lease;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.LeaseRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Restore leases: on a named checkpoint, or on the newest committed one of a run, chosen and leased in one
 * transaction under the row lock retention's claims take, so that retention never deletes a checkpoint between its
 * being chosen as a resume point and its being leased.
 */
@ApplicationScoped
@Transactional
public class LeaseService {

    /** {@code reason} of the 404 for a run no event has named yet. */
    public static final String RUN_UNKNOWN = "RUN_UNKNOWN";
    /** {@code reason} of the 404 for a known run without a committed checkpoint. */
    public static final String NO_COMMITTED_CHECKPOINT = "NO_COMMITTED_CHECKPOINT";

    private final RunRepository runs;
    private final CheckpointRepository checkpoints;
    private final LeaseRepository leases;
    private final CheckpointConfig config;

    public LeaseService(RunRepository runs, CheckpointRepository checkpoints, LeaseRepository leases,
            CheckpointConfig config) {
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.leases = leases;
        this.config = config;
    }

    /** A checkpoint and the lease just taken on it. */
    public record Leased(Checkpoint checkpoint, Lease lease) {
    }

    /** Leases a committed checkpoint for a restore; retention and deletes leave it alone until it expires. */
    public Lease lease(String id, int ttlSeconds, String holder) {
        checkTtl(ttlSeconds);
        Checkpoint row = checkpoints.lock(id);
        if (row == null) {
            throw CatalogException.notFound("checkpoint '" + id + "' does not exist");
        }
        if (row.state != CheckpointState.COMMITTED) {
            throw CatalogException.conflict("checkpoint '" + id + "' is " + row.state
                    + "; only COMMITTED checkpoints can be leased");
        }
        return persist(id, ttlSeconds, holder);
    }

    /**
     * Finds the run's newest COMMITTED checkpoint (step, then attempt, then creation time: never a replaced one),
     * locks it, re-checks it is still COMMITTED (retention may have claimed it between the query and the lock; then
     * the next newest is taken) and leases it.
     */
    public Leased leaseNewest(String runId, int ttlSeconds, String holder) {
        checkTtl(ttlSeconds);
        if (runs.findById(runId) == null) {
            throw CatalogException.notFound(RUN_UNKNOWN, "run '" + runId + "' is unknown to the catalog (no event "
                    + "has named it yet): it has no checkpoint to resume from");
        }
        Set<String> passedOver = new HashSet<>();
        while (true) {
            Optional<String> newest = checkpoints.newestCommittedId(runId, passedOver);
            if (newest.isEmpty()) {
                throw CatalogException.notFound(NO_COMMITTED_CHECKPOINT, "run '" + runId + "' is known to the "
                        + "catalog but has no committed checkpoint yet: start from step 0");
            }
            Checkpoint row = checkpoints.lockFresh(newest.get());
            if (row.state == CheckpointState.COMMITTED) {
                return new Leased(row, persist(row.id, ttlSeconds, holder));
            }
            passedOver.add(row.id);
        }
    }

    public void release(UUID leaseId) {
        if (!leases.deleteById(leaseId)) {
            throw CatalogException.notFound("lease '" + leaseId + "' does not exist (expired leases are kept)");
        }
    }

    private void checkTtl(int ttlSeconds) {
        int max = config.lease().maxTtlSeconds();
        if (ttlSeconds < 1 || ttlSeconds > max) {
            throw CatalogException.invalid("field 'ttlSeconds' must be between 1 and " + max + ", got " + ttlSeconds);
        }
    }

    private Lease persist(String checkpointId, int ttlSeconds, String holder) {
        Lease lease = new Lease();
        lease.id = UUID.randomUUID();
        lease.checkpointId = checkpointId;
        lease.holder = holder;
        lease.createdAt = Instant.now();
        lease.expiresAt = lease.createdAt.plusSeconds(ttlSeconds);
        leases.persist(lease);
        return lease;
    }
}
