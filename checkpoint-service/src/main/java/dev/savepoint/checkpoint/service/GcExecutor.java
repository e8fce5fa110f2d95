package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.messaging.EventPublisher;
import dev.savepoint.checkpoint.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Carries out retention: for each checkpoint to delete, removes its objects (manifest first, so a half-deleted
 * checkpoint never looks whole), then marks the row DELETED or PARTIALLY_DELETED and emits CheckpointDeleted.
 * One collection at a time per service instance.
 */
@ApplicationScoped
public class GcExecutor {

    private static final Logger LOG = Logger.getLogger(GcExecutor.class);

    private final RetentionService retention;
    private final ObjectStore store;
    private final EventPublisher publisher;
    private final CatalogMetrics metrics;
    private final CheckpointConfig config;

    public GcExecutor(RetentionService retention, ObjectStore store, EventPublisher publisher, CatalogMetrics metrics,
            CheckpointConfig config) {
        this.retention = retention;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
    }

    /** Applies retention to every run with committed or half-deleted checkpoints. */
    public void collectAll() {
        for (String runId : retention.runsToCollect(config.gc().runIdPrefix().orElse(""))) {
            collectQuietly(runId);
        }
        metrics.storedBytes(retention.committedBytes());
    }

    /** Applies retention to one run, logging instead of throwing: a failed collection is retried on schedule. */
    public void collectQuietly(String runId) {
        if (!runId.startsWith(config.gc().runIdPrefix().orElse(""))) {
            return;
        }
        try {
            collect(runId);
        } catch (RuntimeException e) {
            LOG.warnf(e, "retention of run %s failed; the next collection retries it", runId);
        }
    }

    /** Applies retention to one run; returns how many checkpoints were deleted completely. */
    public synchronized int collect(String runId) {
        int deleted = 0;
        for (String id : retention.candidates(runId)) {
            Optional<RetentionService.DeletionTarget> target = retention.claimForRetention(id);
            if (target.isPresent() && delete(target.get(), "retention")) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Deletes a claimed checkpoint's objects and records the result; true when none remain. */
    public synchronized boolean delete(RetentionService.DeletionTarget target, String trigger) {
        List<String> remaining = target.keys().stream().filter(key -> !deleteObject(target, key)).toList();
        boolean complete = remaining.isEmpty();
        publisher.publish(retention.finish(target.id(), complete));
        metrics.deleted(complete, trigger);
        if (complete) {
            LOG.infof("deleted checkpoint %s (%d objects)", target.id(), target.keys().size());
        } else {
            LOG.warnf("checkpoint %s PARTIALLY_DELETED; remaining objects %s", target.id(), remaining);
        }
        return complete;
    }

    private boolean deleteObject(RetentionService.DeletionTarget target, String key) {
        try {
            store.delete(target.bucket(), key);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("cannot delete s3://%s/%s: %s", target.bucket(), key, e.getMessage());
            return false;
        }
    }
}
