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
import java.time.Instant;

/**
 * Applies lifecycle changes to a locked run row: records the transitions, creates the attempt row when a change
 * launched one (its primary key makes the launch happen once), and turns failures into restart decisions.
 * Callers hold a transaction and the run's row lock, so nothing here calls out: what a decision owes other systems
 * is recorded on the attempt row and sent after the commit.
 */
@ApplicationScoped
public class RunMachine {

    private final AttemptRepository attempts;
    private final TransitionRepository transitions;
    private final SchedulerConfig config;

    public RunMachine(AttemptRepository attempts, TransitionRepository transitions, SchedulerConfig config) {
        this.attempts = attempts;
        this.transitions = transitions;
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
            if (reason == FailureReason.CHECKPOINT_CORRUPT && checkpointId != null) {
                a.corruptCheckpointId = checkpointId; // marked in checkpoint-service after the commit
            }
        });
        apply(run, change, now);
        if (run.lifecycle().launchDue(now)) {
            apply(run, run.lifecycle().launch(now), now);
        }
    }

    /** The attempt row; the resume point of attempt 2 and later is found after the commit (LaunchDispatcher). */
    private void createAttempt(RunEntity run, Instant now) {
        AttemptEntity a = new AttemptEntity();
        a.id = new AttemptEntity.Key(run.runId, run.currentAttempt);
        a.state = AttemptState.LAUNCHING;
        a.launchedAt = now;
        a.heartbeatMillis = spec(run).runtime().heartbeatMillis();
        attempts.persist(a);
    }

    public static RunSpec spec(RunEntity run) {
        return Json.read(run.spec, RunSpec.class);
    }
}
