package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.ForkBase;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checkpoints runs were forked from, and by which runs. */
@ApplicationScoped
public class ForkBaseRepository implements PanacheRepositoryBase<ForkBase, ForkBase.Key> {

    /** The runs forked from this checkpoint. */
    public List<String> children(String checkpointId) {
        return list("id.checkpointId = ?1 order by createdAt", checkpointId).stream().map(f -> f.id.childRunId())
                .toList();
    }

    /** Which of these checkpoints a run was forked from. */
    public Set<String> forkBasesAmong(Collection<String> checkpointIds) {
        if (checkpointIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(getEntityManager().createQuery(
                "select distinct f.id.checkpointId from ForkBase f where f.id.checkpointId in ?1", String.class)
                .setParameter(1, checkpointIds).getResultList());
    }
}
