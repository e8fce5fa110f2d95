package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sends what committed transactions decided (a transactional outbox on the attempt rows), never while one holds a
 * lock: corrupt marks first (so that a resume never picks a checkpoint just found corrupt), then the launch command
 * of every attempt whose row is committed but not yet sent, with its resume point asked of checkpoint-service,
 * then cancel commands. A scheduler that dies in between sends them after its restart, and a launch never twice for
 * the same attempt number; the launchers drop a repeated (run, attempt).
 */
@ApplicationScoped
public class LaunchDispatcher {

    private static final Logger LOG = Logger.getLogger(LaunchDispatcher.class);

    private final AttemptRepository attempts;
    private final RunRepository runs;
    private final Launcher launcher;
    private final CheckpointCatalog catalog;
    private final AfterCommitCalls calls;

    public LaunchDispatcher(AttemptRepository attempts, RunRepository runs, Launcher launcher,
            CheckpointCatalog catalog, AfterCommitCalls calls) {
        this.attempts = attempts;
        this.runs = runs;
        this.launcher = launcher;
        this.catalog = catalog;
        this.calls = calls;
    }

    public synchronized void dispatchPending() {
        calls.reportCorruptMarks();
        for (AttemptEntity.Key key : pending()) {
            try {
                resolveResumePoint(key);
                command(key).ifPresent(command -> {
                    launcher.launch(command);
                    markSent(key);
                });
            } catch (RuntimeException e) {
                LOG.warnf("launch of attempt %d of %s not sent yet (%s); retrying on the next tick", key.attempt(),
                        key.runId(), e.getMessage());
            }
        }
        calls.sendCancels();
    }

    @Transactional
    List<AttemptEntity.Key> pending() {
        return attempts.unsent().stream().map(a -> a.id).toList();
    }

    /** Attempt 2 and later resume from the newest committed checkpoint; {@code latest} when the catalog is down. */
    void resolveResumePoint(AttemptEntity.Key key) {
        if (key.attempt() == 1 || resumePointKnown(key)) {
            return;
        }
        try {
            Optional<CheckpointCatalog.CheckpointRef> newest = catalog.latest(key.runId());
            storeResumePoint(key, newest.map(CheckpointCatalog.CheckpointRef::id).orElse("latest"),
                    newest.map(CheckpointCatalog.CheckpointRef::step).orElse(null));
        } catch (IOException e) {
            LOG.warnf("checkpoint-service did not answer (%s): attempt %d of %s resumes from the latest checkpoint "
                    + "in storage", e.getMessage(), key.attempt(), key.runId());
            storeResumePoint(key, "latest", null);
        }
    }

    @Transactional
    boolean resumePointKnown(AttemptEntity.Key key) {
        return attempts.findByIdOptional(key).map(a -> a.resumeCheckpointId != null).orElse(true);
    }

    @Transactional
    void storeResumePoint(AttemptEntity.Key key, String checkpointId, Long step) {
        attempts.findByIdOptional(key).filter(a -> a.commandSentAt == null && a.resumeCheckpointId == null)
                .ifPresent(a -> {
                    a.resumeCheckpointId = checkpointId;
                    a.resumeStep = step;
                });
    }

    @Transactional
    Optional<LaunchAttempt> command(AttemptEntity.Key key) {
        return attempts.findByIdOptional(key).filter(a -> a.commandSentAt == null).map(a -> {
            RunEntity run = runs.findById(a.runId());
            return LaunchAttempt.of(a.runId(), a.attempt(), RunMachine.spec(run), a.resumeCheckpointId, a.resumeStep);
        });
    }

    @Transactional
    void markSent(AttemptEntity.Key key) {
        attempts.findByIdOptional(key).ifPresent(a -> a.commandSentAt = Instant.now());
    }
}
