package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** The periodic jobs: retention over every run, and the orphan sweep (delayed so the consumers catch up first). */
@ApplicationScoped
public class Schedules {

    private final GcExecutor gc;
    private final Sweeper sweeper;
    private final CheckpointConfig config;

    public Schedules(GcExecutor gc, Sweeper sweeper, CheckpointConfig config) {
        this.gc = gc;
        this.sweeper = sweeper;
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
}
