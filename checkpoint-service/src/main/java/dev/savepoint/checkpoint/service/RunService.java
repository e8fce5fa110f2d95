package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.Attempt;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.checkpoint.RunState;
import dev.savepoint.checkpoint.repository.AttemptRepository;
import dev.savepoint.checkpoint.repository.ProcessedEventRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Keeps the read model of runs and attempts from {@code savepoint.runs}: state, attempt history, progress, final
 * parameter hash and retention policy. Every event also advances the run's newest attempt (the fencing token).
 */
@ApplicationScoped
@Transactional
public class RunService {

    private final ProcessedEventRepository processed;
    private final RunRepository runs;
    private final AttemptRepository attempts;

    public RunService(ProcessedEventRepository processed, RunRepository runs, AttemptRepository attempts) {
        this.processed = processed;
        this.runs = runs;
        this.attempts = attempts;
    }

    /** Applies one run event once; events of other kinds only create the run and advance its attempt. */
    public void onRunEvent(SavepointEvent event) {
        if (!processed.markProcessed(event)) {
            return;
        }
        Run run = runs.lockOrCreate(event.runId());
        boolean newest = event.attempt() >= run.currentAttempt;
        run.currentAttempt = Math.max(run.currentAttempt, event.attempt());
        run.updatedAt = Instant.now();
        if (event instanceof AttemptStarted started) {
            started(run, newest, started);
        } else if (event instanceof Heartbeat heartbeat) {
            Attempt attempt = attempts.findOrCreate(run.runId, heartbeat.attempt());
            attempt.lastStep = max(attempt.lastStep, heartbeat.step());
            checkpointProgress(attempt, heartbeat);
            if (newest) {
                run.currentStep = heartbeat.step();
            }
        } else if (event instanceof AttemptFailed failed) {
            Attempt attempt = attempts.findOrCreate(run.runId, failed.attempt());
            attempt.state = RunState.FAILED;
            attempt.endedAt = failed.occurredAt();
            attempt.cause = failed.reason().name();
            attempt.message = failed.message();
            attempt.exitCode = failed.exitCode();
            attempt.lastStep = failed.step() == null ? attempt.lastStep : max(attempt.lastStep, failed.step());
            if (newest) {
                run.state = RunState.FAILED;
            }
        } else if (event instanceof AttemptSucceeded succeeded) {
            Attempt attempt = attempts.findOrCreate(run.runId, succeeded.attempt());
            attempt.state = RunState.SUCCEEDED;
            attempt.endedAt = succeeded.occurredAt();
            attempt.lastStep = succeeded.step();
            if (succeeded.checkpointsSkipped() != null) {
                attempt.checkpointsSkipped = succeeded.checkpointsSkipped();
            }
            attempt.newestDurableStep = succeeded.step(); // an attempt succeeds only with its final checkpoint stored
            attempt.newestDurableAgeMillis = 0L;
            if (newest) {
                run.state = RunState.SUCCEEDED;
                run.currentStep = succeeded.step();
                run.finalParamsSha256 = succeeded.finalParamsSha256();
            }
        }
    }

    private void started(Run run, boolean newest, AttemptStarted started) {
        Attempt attempt = attempts.findOrCreate(run.runId, started.attempt());
        attempt.startedAt = started.occurredAt();
        attempt.resumedFromCheckpointId = started.resumedFromCheckpointId();
        attempt.host = started.host();
        attempt.fingerprint = started.fingerprint();
        attempt.resumeExact = started.resumeExact();
        attempt.resumeDifferences = started.resumeDifferences();
        if (attempt.endedAt == null) {
            attempt.state = RunState.RUNNING;
        }
        if (attempt.lastStep == null) {
            attempt.lastStep = started.resumedFromStep();
        }
        run.name = started.spec().name();
        run.retention = started.spec().retention();
        run.maxSteps = started.spec().maxSteps() == null ? null : started.spec().maxSteps().longValue();
        if (newest && attempt.endedAt == null) {
            run.state = RunState.RUNNING;
        }
    }

    /** Heartbeats arrive in order per run; fields an older producer leaves out keep what was known. */
    private static void checkpointProgress(Attempt attempt, Heartbeat heartbeat) {
        if (heartbeat.checkpointsSkipped() != null) {
            attempt.checkpointsSkipped = heartbeat.checkpointsSkipped();
        }
        if (heartbeat.newestDurableStep() != null) {
            attempt.newestDurableStep = heartbeat.newestDurableStep();
            attempt.newestDurableAgeMillis = heartbeat.newestDurableAgeMillis();
        }
    }

    private static Long max(Long current, long step) {
        return current == null ? step : Math.max(current, step);
    }
}
