package dev.savepoint.scheduler.repository;

import dev.savepoint.scheduler.domain.ProcessedEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Ids of events already applied. */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {

    /** Records {@code eventId}; false when it was recorded before (a redelivery). */
    public boolean firstTime(String eventId) {
        if (findByIdOptional(eventId).isPresent()) {
            return false;
        }
        ProcessedEvent e = new ProcessedEvent();
        e.eventId = eventId;
        e.processedAt = Instant.now();
        persist(e);
        return true;
    }

    /** Deletes up to {@code limit} ids applied before {@code cutoff}, oldest first; returns how many. */
    public int deleteAppliedBefore(Instant cutoff, int limit) {
        List<String> ids = getEntityManager().createQuery("select e.eventId from ProcessedEvent e "
                + "where e.processedAt < :cutoff order by e.processedAt", String.class)
                .setParameter("cutoff", cutoff).setMaxResults(limit).getResultList();
        return ids.isEmpty() ? 0 : (int) delete("eventId in ?1", ids);
    }
}
