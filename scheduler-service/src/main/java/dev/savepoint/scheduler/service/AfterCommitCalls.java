package dev.savepoint.scheduler.service;

import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.repository.AttemptRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The calls a committed decision recorded on an attempt row, made after the commit and retried on every dispatch
 * until they are through: the corrupt mark of a checkpoint (checkpoint-service) and a user's cancel (the launcher).
 */
@ApplicationScoped
public class AfterCommitCalls {

    private static final Logger LOG = Logger.getLogger(AfterCommitCalls.class);

    private final AttemptRepository attempts;
    private final CheckpointCatalog catalog;
    private final Launcher launcher;

    public AfterCommitCalls(AttemptRepository attempts, CheckpointCatalog catalog, Launcher launcher) {
        this.attempts = attempts;
        this.catalog = catalog;
        this.launcher = launcher;
    }

    /** A call to make: which attempt, about what, and why. */
    record Call(AttemptEntity.Key key, String subject, String reason) {
    }

    public void reportCorruptMarks() {
        for (Call call : corruptMarksDue()) {
            if (catalog.markCorrupt(call.subject(), call.reason())) {
                corruptMarkReported(call.key());
            }
        }
    }

    public void sendCancels() {
        for (Call call : cancelsDue()) {
            try {
                launcher.cancel(call.key().runId(), call.key().attempt(), call.reason());
                cancelSent(call.key());
            } catch (RuntimeException e) {
                LOG.warnf("cancel of attempt %d of %s not sent yet (%s); retrying on the next tick",
                        call.key().attempt(), call.key().runId(), e.getMessage());
            }
        }
    }

    @Transactional
    List<Call> corruptMarksDue() {
        return attempts.corruptMarksDue().stream()
                .map(a -> new Call(a.id, a.corruptCheckpointId, a.message)).toList();
    }

    @Transactional
    List<Call> cancelsDue() {
        return attempts.cancelsDue().stream().map(a -> new Call(a.id, null, a.cancelReason)).toList();
    }

    @Transactional
    void corruptMarkReported(AttemptEntity.Key key) {
        attempts.findByIdOptional(key).ifPresent(a -> a.corruptReportedAt = Instant.now());
    }

    @Transactional
    void cancelSent(AttemptEntity.Key key) {
        attempts.findByIdOptional(key).ifPresent(a -> a.cancelSentAt = Instant.now());
    }
}
