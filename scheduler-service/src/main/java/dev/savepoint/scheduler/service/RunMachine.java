package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.TransitionRepository;
import dev.savepoint.scheduler.run.LifecycleChange;
import dev.savepoint.scheduler.run.RestartPolicy;
import dev.savepoint.scheduler.run.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Applies lifecycle changes to a locked run row: records the transitions, creates the attempt row when a change
 * launched one (its primary key makes the launch happen once), and turns failures into restart decisions.
 * Callers hold a transaction and the run's row lock.
 */
@ApplicationScoped
public class RunMachine {

    private static final Logger LOG = Logger.getLogger(RunMachine.class);

    private final AttemptRepository attempts;
    private final TransitionRepository transitions;
    private final CheckpointCatalog catalog;
    private final SchedulerConfig config;

    public RunMachine(AttemptRepository attempts, TransitionRepository transitions, CheckpointCatalog catalog,
            SchedulerConfig config) {
        this.attempts = attempts;
        this.transitions = transitions;
        this.catalog = catalog;
        this.config = config;
    }

    public void apply(RunEntity run, LifecycleChange change, Instant now) {
        if (change.ignored()) {
            return;
        }
        run.apply(change.lifecycle(), now);
        transitions.record(run.runId, change.transitions());
        if (run.state == RunState.LAUNCHING && attempts.find(run.runId, run.currentAttempt).isEmpty()) {
            createAttempt(run, now);
        }
    }

    /** The current attempt failed: record how, decide, and launch at once when no backoff is due. */
    public void fail(RunEntity run, int attempt, FailureReason reason, String message, Integer exitCode,
            String checkpointId, Instant now) {
        RestartPolicy policy = new RestartPolicy(spec(run).restart(), config.maxPreemptions());
        LifecycleChange change = run.lifecycle().failed(policy, attempt, reason, message, now);
        if (change.ignored()) {
            return; // a duplicate report, or one from an attempt that is no longer current
        }
        attempts.find(run.runId, attempt).ifPresent(a -> {
            a.state = AttemptState.FAILED;
            a.endedAt = now;
            a.cause = reason;
            a.message = message;
            a.exitCode = exitCode;
        });
        if (reason == FailureReason.CHECKPOINT_CORRUPT && checkpointId != null) {
            catalog.markCorrupt(checkpointId, message);
        }
        apply(run, change, now);
        if (run.lifecycle().launchDue(now)) {
            apply(run, run.lifecycle().launch(now), now);
        }
    }

    private void createAttempt(RunEntity run, Instant now) {
        AttemptEntity a = new AttemptEntity();
        a.id = new AttemptEntity.Key(run.runId, run.currentAttempt);
        a.state = AttemptState.LAUNCHING;
        a.launchedAt = now;
        a.heartbeatMillis = spec(run).runtime().heartbeatMillis();
        if (run.currentAttempt > 1) {
            resumePoint(run, a);
        }
        attempts.persist(a);
    }

    /** The newest committed checkpoint, from the catalog; {@code latest} (found in storage) when it does not answer. */
    private void resumePoint(RunEntity run, AttemptEntity a) {
        try {
            catalog.latest(run.runId).ifPresentOrElse(c -> {
                a.resumeCheckpointId = c.id();
                a.resumeStep = c.step();
            }, () -> a.resumeCheckpointId = "latest");
        } catch (IOException e) {
            LOG.warnf("checkpoint-service did not answer (%s): attempt %d of %s resumes from the latest checkpoint "
                    + "in storage", e.getMessage(), a.attempt(), run.runId);
            a.resumeCheckpointId = "latest";
        }
    }

    public static RunSpec spec(RunEntity run) {
        return Json.read(run.spec, RunSpec.class);
    }
}
