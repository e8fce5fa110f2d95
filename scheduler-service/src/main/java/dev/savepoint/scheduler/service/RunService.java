package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.scheduler.run.RunLifecycle;
import dev.savepoint.scheduler.run.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The user's commands on runs: submit (a fork too), cancel, resume; each one transaction on the locked run row, whose commands
 * to launchers go out after the commit (LaunchDispatcher).
 */
@ApplicationScoped
public class RunService {

    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final RunMachine machine;

    public RunService(RunRepository runs, AttemptRepository attempts, RunMachine machine) {
        this.runs = runs;
        this.attempts = attempts;
        this.machine = machine;
    }

    /** Accepts a validated spec and launches attempt 1 (the command goes out after the commit). */
    @Transactional
    public RunEntity submit(RunSpec spec) {
        return submit(spec, newRunId(spec), null, null);
    }

    /** A new run's id: its name and 8 random hex digits. */
    public static String newRunId(RunSpec spec) {
        return spec.name() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * Accepts the spec of a fork of run {@code parentRunId} and launches its attempt 1, which resumes from
     * {@code parentCheckpointId} (checkpoint-service already holds that checkpoint for it).
     */
    @Transactional
    public RunEntity submitFork(RunSpec spec, String runId, String parentRunId, String parentCheckpointId) {
        return submit(spec, runId, parentRunId, parentCheckpointId);
    }

    /** The spec of a run, for a fork of it. */
    @Transactional
    public RunSpec spec(String runId) {
        return RunMachine.spec(runs.findByIdOptional(runId).orElseThrow(() -> new RunNotFoundException(runId)));
    }

    private RunEntity submit(RunSpec spec, String runId, String parentRunId, String parentCheckpointId) {
        Instant now = Instant.now();
        RunEntity run = new RunEntity();
        run.runId = runId;
        run.parentRunId = parentRunId;
        run.parentCheckpointId = parentCheckpointId;
        run.name = spec.name();
        run.spec = Json.writeString(spec);
        run.createdAt = now;
        run.apply(RunLifecycle.submitted(run.runId), now);
        runs.persist(run);
        machine.apply(run, run.lifecycle().launch(now), now);
        return run;
    }

    /** The run ends CANCELLED; its live attempt is stopped by its launcher after the commit (LaunchDispatcher). */
    @Transactional
    public RunEntity cancel(String runId) {
        RunEntity run = locked(runId);
        Instant now = Instant.now();
        machine.apply(run, run.lifecycle().cancel(now), now);
        attempts.find(runId, run.currentAttempt).filter(a -> a.state.live()).ifPresent(a -> {
            a.state = AttemptState.CANCELLED;
            a.endedAt = now;
            a.cancelReason = "cancelled by a user";
            a.cancelRequestedAt = now;
        });
        return run;
    }

    /** Resumes a GAVE_UP or CANCELLED run from its newest committed checkpoint, with fresh restart budgets. */
    @Transactional
    public RunEntity resume(String runId) {
        RunEntity run = locked(runId);
        Instant now = Instant.now();
        machine.apply(run, run.lifecycle().resume(now), now);
        return run;
    }

    /** Launches the run's next attempt if its backoff is over. */
    @Transactional
    public void launchIfDue(String runId, Instant now) {
        RunEntity run = locked(runId);
        if (run.state == RunState.BACKOFF && run.lifecycle().launchDue(now)) {
            machine.apply(run, run.lifecycle().launch(now), now);
        }
    }

    private RunEntity locked(String runId) {
        return runs.lock(runId).orElseThrow(() -> new RunNotFoundException(runId));
    }

    /** No run has this id. */
    public static final class RunNotFoundException extends RuntimeException {
        public RunNotFoundException(String runId) {
            super("no run with id '" + runId + "'");
        }
    }
}
