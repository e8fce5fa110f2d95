package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.ForkBase;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.ForkBaseRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Records that a run is forked from a committed checkpoint, so that the checkpoint is kept for it (retention reason
 * forkBase; a user's delete is refused). Under the run's and the checkpoint's row locks, the order retention's claims
 * take: either the claim came first (the checkpoint is DELETING, and the fork is refused) or it sees the fork.
 */
@ApplicationScoped
@Transactional
public class ForkBases {

    private final RunRepository runs;
    private final CheckpointRepository checkpoints;
    private final ForkBaseRepository forks;

    public ForkBases(RunRepository runs, CheckpointRepository checkpoints, ForkBaseRepository forks) {
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.forks = forks;
    }

    /** Holds checkpoint {@code id} of run {@code runId} for the fork {@code childRunId}; idempotent. */
    public Checkpoint hold(String id, String runId, String childRunId) {
        String owner = checkpoints.runIdOf(id).orElseThrow(() -> CatalogException.notFound("checkpoint '" + id
                + "' does not exist"));
        if (!owner.equals(runId)) {
            throw CatalogException.invalid("field 'runId': checkpoint '" + id + "' belongs to run '" + owner
                    + "', not to run '" + runId + "'");
        }
        runs.lock(owner);
        Checkpoint row = checkpoints.lockFresh(id);
        if (row.state != CheckpointState.COMMITTED) {
            throw CatalogException.conflict("checkpoint '" + id + "' is " + row.state
                    + "; only a COMMITTED checkpoint can be forked from");
        }
        ForkBase.Key key = new ForkBase.Key(id, childRunId);
        if (forks.findByIdOptional(key).isEmpty()) {
            ForkBase fork = new ForkBase();
            fork.id = key;
            fork.createdAt = Instant.now();
            forks.persist(fork);
        }
        return row;
    }
}
