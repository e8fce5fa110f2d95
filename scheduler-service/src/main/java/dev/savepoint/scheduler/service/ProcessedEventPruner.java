package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.cluster.ClusterJobs;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.repository.ProcessedEventRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the processed-event log bounded: ids older than the retention are deleted in small transactions, once per
 * cluster per interval whatever the number of replicas ({@link ClusterJobs}; deleting what another already deleted
 * would be a no-op, but not free).
 */
@ApplicationScoped
public class ProcessedEventPruner {

    private static final Logger LOG = Logger.getLogger(ProcessedEventPruner.class);

    private final ProcessedEventRepository processed;
    private final SchedulerConfig.ProcessedEvents config;
    private final ClusterJobs jobs;
    private final Duration staleAfter;

    public ProcessedEventPruner(ProcessedEventRepository processed, SchedulerConfig config, DataSource dataSource,
            @ConfigProperty(name = "quarkus.flyway.default-schema") String schema) {
        this.processed = processed;
        this.config = config.processedEvents();
        this.jobs = new ClusterJobs(dataSource, schema + ".cluster_jobs", ClusterJobs.processOwner());
        this.staleAfter = config.clusterJobsStaleAfter();
    }

    @Scheduled(identity = "processed-event-pruner", every = "${savepoint.scheduler.processed-events.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneOld() {
        jobs.runIfDue("processed-event-pruner", config.pruneInterval(), staleAfter,
                () -> prune(Instant.now().minus(config.retention()), config.pruneBatch()));
    }

    /** Deletes every id applied before {@code cutoff}, {@code batch} per transaction; returns how many. */
    public int prune(Instant cutoff, int batch) {
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> processed.deleteAppliedBefore(cutoff, batch));
            total += deleted;
        } while (deleted == batch);
        if (total > 0) {
            LOG.infof("pruned %d processed-event ids applied before %s", total, cutoff);
        }
        return total;
    }
}
