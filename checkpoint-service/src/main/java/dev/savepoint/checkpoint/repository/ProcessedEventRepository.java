package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.ProcessedEvent;
import dev.savepoint.contracts.events.SavepointEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The processed-event log; recording an id is the check, so both happen in the caller's transaction. */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, String> {

    /** Records the event as processed; false when it already was (a redelivery or a duplicate). */
    public boolean markProcessed(SavepointEvent event) {
        int inserted = getEntityManager().createNativeQuery(
                "insert into processed_events (event_id, type, processed_at) values (?1, ?2, now()) "
                        + "on conflict (event_id) do nothing")
                .setParameter(1, event.id()).setParameter(2, event.type())
                .setFlushMode(FlushModeType.COMMIT).executeUpdate(); // no flush of the whole batch per event
        return inserted == 1;
    }

    /** Those of the event ids that were processed already. */
    public List<String> processedAmong(Collection<String> eventIds) {
        return getEntityManager().createQuery("select p.eventId from ProcessedEvent p where p.eventId in ?1",
                String.class).setParameter(1, eventIds).getResultList();
    }

    /** Deletes up to {@code limit} ids processed before {@code cutoff}, oldest first; returns how many. */
    public int deleteProcessedBefore(Instant cutoff, int limit) {
        return getEntityManager().createNativeQuery("delete from processed_events where event_id in (select event_id "
                        + "from processed_events where processed_at < ?1 order by processed_at limit ?2)")
                .setParameter(1, cutoff).setParameter(2, limit).executeUpdate();
    }
}
