package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the launch command of every attempt whose row is committed but not yet sent (a transactional outbox): a
 * scheduler that dies between deciding a launch and sending it sends it after its restart, and never twice for
 * the same attempt number; the launchers drop a repeated (run, attempt).
 */
@ApplicationScoped
public class LaunchDispatcher {

    private static final Logger LOG = Logger.getLogger(LaunchDispatcher.class);

    private final AttemptRepository attempts;
    private final RunRepository runs;
    private final Launcher launcher;

    public LaunchDispatcher(AttemptRepository attempts, RunRepository runs, Launcher launcher) {
        this.attempts = attempts;
        this.runs = runs;
        this.launcher = launcher;
    }

    public synchronized void dispatchPending() {
        for (LaunchAttempt command : pending()) {
            try {
                launcher.launch(command);
                markSent(command.runId(), command.attempt());
            } catch (RuntimeException e) {
                LOG.warnf("launch of attempt %d of %s not sent yet (%s); retrying on the next tick",
                        command.attempt(), command.runId(), e.getMessage());
            }
        }
    }

    @Transactional
    List<LaunchAttempt> pending() {
        return attempts.unsent().stream().map(this::command).toList();
    }

    @Transactional
    void markSent(String runId, int attempt) {
        attempts.find(runId, attempt).ifPresent(a -> a.commandSentAt = Instant.now());
    }

    private LaunchAttempt command(AttemptEntity a) {
        RunEntity run = runs.findById(a.runId());
        return LaunchAttempt.of(a.runId(), a.attempt(), RunMachine.spec(run), a.resumeCheckpointId, a.resumeStep);
    }
}
