package dev.savepoint.scheduler.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event id already applied; recorded in the same transaction as its effect. */
@Entity
@Table(name = "processed_events")
public class ProcessedEvent {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "processed_at")
    public Instant processedAt;
}
