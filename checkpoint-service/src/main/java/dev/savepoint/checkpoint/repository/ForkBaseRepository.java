package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.ForkBase;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checkpoints runs were forked from, and by which runs. A fork holds its base only until the child has committed a
 * checkpoint of its own: from then on the child's attempts resume from that one, so the base is released (the row
 * stays as history) and the parent's retention treats it like any other checkpoint.
 */
@ApplicationScoped
public class ForkBaseRepository implements PanacheRepositoryBase<ForkBase, ForkBase.Key> {

    /** The clause that keeps a hold: its child run has no COMMITTED checkpoint yet. */
    private static final String HELD = "not exists (select 1 from Checkpoint c where c.runId = f.id.childRunId "
            + "and c.state = dev.savepoint.checkpoint.retention.CheckpointState.COMMITTED)";

    /** The runs still holding this checkpoint: forked from it and without a committed checkpoint of their own. */
    public List<String> children(String checkpointId) {
        return getEntityManager().createQuery("select f.id.childRunId from ForkBase f where f.id.checkpointId = ?1 "
                + "and " + HELD + " order by f.createdAt", String.class).setParameter(1, checkpointId)
                .getResultList();
    }

    /** Which of these checkpoints are still held by a fork. */
    public Set<String> forkBasesAmong(Collection<String> checkpointIds) {
        if (checkpointIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(getEntityManager().createQuery(
                "select distinct f.id.checkpointId from ForkBase f where f.id.checkpointId in ?1 and " + HELD,
                String.class).setParameter(1, checkpointIds).getResultList());
    }
}
