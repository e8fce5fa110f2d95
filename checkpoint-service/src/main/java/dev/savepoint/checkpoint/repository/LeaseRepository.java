package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.Lease;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Restore leases on checkpoints. */
@ApplicationScoped
public class LeaseRepository implements PanacheRepositoryBase<Lease, UUID> {

    public boolean isLeased(String checkpointId, Instant now) {
        return count("checkpointId = ?1 and expiresAt > ?2", checkpointId, now) > 0;
    }

    /** Which of these checkpoints hold an unexpired lease. */
    public Set<String> leasedAmong(Collection<String> checkpointIds, Instant now) {
        if (checkpointIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = getEntityManager().createQuery(
                "select distinct l.checkpointId from Lease l where l.checkpointId in ?1 and l.expiresAt > ?2",
                String.class).setParameter(1, checkpointIds).setParameter(2, now).getResultList();
        return new HashSet<>(ids);
    }
}
