package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The periodic jobs: retention over every run, the orphan sweep (delayed so the consumers catch up first), and the
 * pruning of old processed-event ids.
 */
@ApplicationScoped
public class Schedules {

    private final GcExecutor gc;
    private final Sweeper sweeper;
    private final ProcessedEventPruner pruner;
    private final CheckpointConfig config;

    public Schedules(GcExecutor gc, Sweeper sweeper, ProcessedEventPruner pruner, CheckpointConfig config) {
        this.gc = gc;
        this.sweeper = sweeper;
        this.pruner = pruner;
        this.config = config;
    }

    @Scheduled(identity = "retention", every = "${savepoint.gc.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void collect() {
        gc.collectAll();
    }

    @Scheduled(identity = "sweeper", every = "${savepoint.sweeper.interval}", delayed = "${savepoint.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (config.sweeper().enabled()) {
            sweeper.sweep(config.sweeper().prefix());
        }
    }

    @Scheduled(identity = "processed-event-pruner", every = "${savepoint.processed-events.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneProcessedEvents() {
        var retention = config.processedEvents();
        pruner.prune(Instant.now().minus(retention.retention()), retention.pruneBatch());
    }
}
