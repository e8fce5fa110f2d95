package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.contracts.cluster.ClusterJobs;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The periodic jobs: retention over every run, the orphan sweep (delayed so the consumers catch up first), and the
 * pruning of old processed-event ids. Each runs once per cluster whatever the number of replicas ({@link ClusterJobs}
 * over the table {@code cluster_jobs}): every replica's timer fires, the first to claim the round runs it, and a round
 * whose replica died is run again after {@code savepoint.cluster-jobs.stale-after}.
 */
@ApplicationScoped
public class Schedules {

    private final GcExecutor gc;
    private final Sweeper sweeper;
    private final ProcessedEventPruner pruner;
    private final CheckpointConfig config;
    private final ClusterJobs jobs;
    private final Duration staleAfter;

    public Schedules(GcExecutor gc, Sweeper sweeper, ProcessedEventPruner pruner, CheckpointConfig config,
            DataSource dataSource) {
        this.gc = gc;
        this.sweeper = sweeper;
        this.pruner = pruner;
        this.config = config;
        this.jobs = new ClusterJobs(dataSource, "cluster_jobs", ClusterJobs.processOwner());
        this.staleAfter = config.clusterJobsStaleAfter();
    }

    private void once(String job, String every, Runnable work) {
        jobs.runIfDue(job, DurationConverter.parseDuration(every), staleAfter, work);
    }

    @Scheduled(identity = "retention", every = "${savepoint.gc.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void collect() {
        once("retention", config.gc().interval(), gc::collectAll);
    }

    @Scheduled(identity = "sweeper", every = "${savepoint.sweeper.interval}", delayed = "${savepoint.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (config.sweeper().enabled()) {
            once("sweeper", config.sweeper().interval(), () -> sweeper.sweep(config.sweeper().prefix()));
        }
    }

    @Scheduled(identity = "processed-event-pruner", every = "${savepoint.processed-events.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneProcessedEvents() {
        var retention = config.processedEvents();
        once("processed-event-pruner", retention.pruneInterval(),
                () -> pruner.prune(Instant.now().minus(retention.retention()), retention.pruneBatch()));
    }
}
