package dev.savepoint.scheduler.repository;

import dev.savepoint.scheduler.domain.ProcessedEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

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
}
