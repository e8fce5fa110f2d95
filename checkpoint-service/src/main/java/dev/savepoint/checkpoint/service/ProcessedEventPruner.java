package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.repository.ProcessedEventRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps the processed-event log bounded: ids older than a cutoff are deleted, a batch per short transaction so the
 * consumers' inserts never wait long. Every replica may prune; deleting what another already deleted is a no-op.
 */
@ApplicationScoped
public class ProcessedEventPruner {

    private static final Logger LOG = Logger.getLogger(ProcessedEventPruner.class);

    private final ProcessedEventRepository processed;

    public ProcessedEventPruner(ProcessedEventRepository processed) {
        this.processed = processed;
    }

    /** Deletes every id processed before {@code cutoff}, {@code batch} per transaction; returns how many. */
    public int prune(Instant cutoff, int batch) {
        int total = 0;
        while (true) {
            int deleted = QuarkusTransaction.requiringNew().call(() -> processed.deleteProcessedBefore(cutoff, batch));
            total += deleted;
            if (deleted < batch) {
                break;
            }
        }
        if (total > 0) {
            LOG.infof("pruned %d processed-event ids older than %s", total, cutoff);
        }
        return total;
    }
}
