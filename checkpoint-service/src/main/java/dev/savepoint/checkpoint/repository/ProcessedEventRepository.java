package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.ProcessedEvent;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * Records every event as processed in one statement; the ids recorded now, i.e. not processed before (an id
     * given twice counts once). The batch form of {@link #markProcessed}.
     */
    public Set<String> markAllProcessed(List<? extends SavepointEvent> events) {
        List<Map<String, String>> rows = events.stream().map(e -> Map.of("id", e.id(), "type", e.type())).toList();
        List<?> recorded = getEntityManager().createNativeQuery("with recorded as (insert into processed_events "
                        + "(event_id, type, processed_at) select e.id, e.type, now() from jsonb_to_recordset(cast(?1 as "
                        + "jsonb)) as e(id text, type text) on conflict (event_id) do nothing returning event_id) "
                        + "select event_id from recorded")
                .setParameter(1, Json.writeString(rows))
                .setFlushMode(FlushModeType.COMMIT).getResultList();
        Set<String> ids = new HashSet<>();
        recorded.forEach(id -> ids.add((String) id));
        return ids;
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
