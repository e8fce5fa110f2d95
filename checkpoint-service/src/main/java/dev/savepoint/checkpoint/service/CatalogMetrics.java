package dev.savepoint.checkpoint.service;

import dev.savepoint.contracts.events.RejectReason;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus meters of the catalog: commits, rejections by reason, bytes committed and stored, GC deletions. */
@ApplicationScoped
public class CatalogMetrics {

    private final MeterRegistry registry;
    private final AtomicLong storedBytes = new AtomicLong();

    public CatalogMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("savepoint.checkpoints.stored.bytes", storedBytes);
    }

    void committed(long bytes) {
        registry.counter("savepoint.checkpoints.committed").increment();
        registry.counter("savepoint.checkpoints.committed.bytes").increment(bytes);
    }

    void rejected(RejectReason reason) {
        registry.counter("savepoint.checkpoints.rejected", "reason", reason.name()).increment();
    }

    void deleted(boolean complete, String trigger) {
        registry.counter("savepoint.gc.deletions", "outcome", complete ? "deleted" : "partial", "trigger", trigger)
                .increment();
    }

    void swept(int objects) {
        registry.counter("savepoint.sweeper.deleted.objects").increment(objects);
    }

    public void deadLettered(String topic) {
        registry.counter("savepoint.events.dead.lettered", "topic", topic).increment();
    }

    /** Bytes of every COMMITTED checkpoint, refreshed by the scheduled collection. */
    void storedBytes(long bytes) {
        storedBytes.set(bytes);
    }
}
