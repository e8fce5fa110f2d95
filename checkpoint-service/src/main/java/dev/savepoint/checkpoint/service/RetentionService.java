package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.ForkBaseRepository;
import dev.savepoint.checkpoint.repository.LeaseRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.retention.CheckpointView;
import dev.savepoint.checkpoint.retention.RetentionDecision;
import dev.savepoint.checkpoint.retention.RetentionPolicy;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.contracts.spec.RetentionSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The catalog side of retention: feeds a run's committed checkpoints to {@link RetentionPolicy}, claims the ones to
 * delete (state DELETING, re-checked under the run's and the checkpoint's row locks against pins, fork bases, leases and
 * being the newest committed one) and records how a deletion ended.
 */
@ApplicationScoped
@Transactional
public class RetentionService {

    /** States whose objects are (partly) being removed: the next collection picks them up again. */
    static final Set<CheckpointState> UNFINISHED = Set.of(CheckpointState.DELETING, CheckpointState.PARTIALLY_DELETED);

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    private final RunRepository runs;
    private final CheckpointRepository checkpoints;
    private final LeaseRepository leases;
    private final ForkBaseRepository forks;

    public RetentionService(RunRepository runs, CheckpointRepository checkpoints, LeaseRepository leases,
            ForkBaseRepository forks) {
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.leases = leases;
        this.forks = forks;
    }

    /** What deleting one checkpoint touches. */
    public record DeletionTarget(String id, String bucket, List<String> keys) {
    }

    /** The policy's decision for a run's committed checkpoints, pins and unexpired leases included. */
    public RetentionDecision decide(String runId) {
        Run run = runs.findById(runId);
        RetentionSpec spec = run == null ? RetentionSpec.defaults() : run.retentionOrDefault();
        List<Checkpoint> committed = checkpoints.ofRunInStates(runId, Set.of(CheckpointState.COMMITTED));
        List<String> ids = committed.stream().map(c -> c.id).toList();
        Set<String> leased = leases.leasedAmong(ids, Instant.now());
        Set<String> forkBases = forks.forkBasesAmong(ids);
        List<CheckpointView> views = committed.stream().map(c -> new CheckpointView(c.id, c.step, c.attempt,
                c.createdAt, c.state, c.totalBytes, c.metrics, c.pinned, leased.contains(c.id),
                forkBases.contains(c.id))).toList();
        return RetentionPolicy.select(spec, views);
    }

    /** Ids to delete now: the policy's choice plus deletions left unfinished earlier. */
    public List<String> candidates(String runId) {
        List<String> ids = new ArrayList<>(decide(runId).toDelete());
        checkpoints.ofRunInStates(runId, UNFINISHED).forEach(c -> ids.add(c.id));
        return ids;
    }

    /**
     * Claims a checkpoint retention chose, unless meanwhile it got pinned, a run was forked from it, it got leased (lease-newest holds the same row
     * lock while it leases, so a lease either came first and is seen here, or comes after and sees DELETING), or
     * became the newest committed checkpoint of its run (a newer one went CORRUPT or was deleted; corrupt marks take
     * the run's lock too, so this check and the claim are one step).
     */
    public Optional<DeletionTarget> claimForRetention(String id) {
        Optional<String> runId = checkpoints.runIdOf(id);
        if (runId.isEmpty()) {
            return Optional.empty();
        }
        runs.lock(runId.get());
        Checkpoint row = checkpoints.lockFresh(id);
        if (row.state == CheckpointState.COMMITTED && !row.pinned && !leases.isLeased(id, Instant.now())
                && forks.children(id).isEmpty()) {
            if (isNewestCommitted(row)) {
                LOG.infof("retention keeps checkpoint %s of run %s: it became the newest committed one", id, row.runId);
                return Optional.empty();
            }
            row.state = CheckpointState.DELETING;
        }
        return UNFINISHED.contains(row.state) ? Optional.of(target(row)) : Optional.empty();
    }

    /** Claims a checkpoint a user deletes; refuses the newest committed, pinned and leased ones. */
    public Optional<DeletionTarget> claimForUser(String id) {
        String runId = checkpoints.runIdOf(id).orElseThrow(() -> CatalogException.notFound(
                "checkpoint '" + id + "' does not exist"));
        runs.lock(runId);
        Checkpoint row = checkpoints.lockFresh(id);
        if (row.state == CheckpointState.DELETED) {
            return Optional.empty();
        }
        if (row.state == CheckpointState.COMMITTED) {
            refuseProtected(row);
        }
        row.state = UNFINISHED.contains(row.state) ? row.state : CheckpointState.DELETING;
        return Optional.of(target(row));
    }

    private boolean isNewestCommitted(Checkpoint row) {
        return checkpoints.newestCommittedId(row.runId, Set.of()).map(row.id::equals).orElse(false);
    }

    private void refuseProtected(Checkpoint row) {
        if (isNewestCommitted(row)) {
            throw CatalogException.conflict("checkpoint '" + row.id + "' (step " + row.step + ") is the newest "
                    + "committed checkpoint of run '" + row.runId + "' and is never deleted; a resume needs it");
        }
        if (row.pinned) {
            throw CatalogException.conflict("checkpoint '" + row.id + "' is pinned; unpin it "
                    + "(DELETE /api/checkpoints/" + row.id + "/pin) before deleting it");
        }
        List<String> children = forks.children(row.id);
        if (!children.isEmpty()) {
            throw CatalogException.conflict("checkpoint '" + row.id + "' is the fork base of run(s) " + children
                    + ", whose attempts resume from it; it is kept for them");
        }
        if (leases.isLeased(row.id, Instant.now())) {
            throw CatalogException.conflict("checkpoint '" + row.id + "' is leased by a restore in progress; "
                    + "delete it after the lease expires or is released");
        }
    }

    /** Records the end of a deletion: DELETED, or PARTIALLY_DELETED when objects remain; returns the event. */
    public SavepointEvent finish(String id, boolean complete) {
        Checkpoint row = checkpoints.lock(id);
        row.state = complete ? CheckpointState.DELETED : CheckpointState.PARTIALLY_DELETED;
        row.deletedAt = complete ? Instant.now() : null;
        return Outcomes.deleted(row, complete);
    }

    /** Runs whose checkpoints retention may have to act on. */
    public List<String> runsToCollect(String runIdPrefix) {
        return checkpoints.runsWithStates(Set.of(CheckpointState.COMMITTED, CheckpointState.DELETING,
                CheckpointState.PARTIALLY_DELETED), runIdPrefix);
    }

    /** Bytes of every committed checkpoint. */
    public long committedBytes() {
        Long sum = checkpoints.getEntityManager().createQuery(
                "select coalesce(sum(c.totalBytes), 0) from Checkpoint c where c.state = ?1", Long.class)
                .setParameter(1, CheckpointState.COMMITTED).getSingleResult();
        return sum == null ? 0 : sum;
    }

    private static DeletionTarget target(Checkpoint row) {
        return new DeletionTarget(row.id, row.bucket, row.objectKeys());
    }
}
