package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.ProcessedEventRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies run and checkpoint events to runs, once each (the event id is recorded in the same transaction); events
 * of runs this scheduler did not submit, and of attempts that are no longer current, change nothing, except that a
 * reported exit of any attempt confirms its end (the run's next attempt waits for it).
 */
@ApplicationScoped
public class RunEventHandler {

    private static final Logger LOG = Logger.getLogger(RunEventHandler.class);

    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final ProcessedEventRepository processed;
    private final RunMachine machine;

    public RunEventHandler(RunRepository runs, AttemptRepository attempts, ProcessedEventRepository processed,
            RunMachine machine) {
        this.runs = runs;
        this.attempts = attempts;
        this.processed = processed;
        this.machine = machine;
    }

    @Transactional
    public void handle(SavepointEvent event) {
        Optional<RunEntity> locked = runs.lock(event.runId());
        // Heartbeats are idempotent by nature and too many to record; every other event is applied once.
        if (locked.isEmpty() || (!(event instanceof Heartbeat) && !processed.firstTime(event.id()))) {
            return;
        }
        RunEntity run = locked.get();
        Instant now = Instant.now(); // receive time: leases must not depend on the attempt host's clock
        Optional<AttemptEntity> attempt = attempts.find(run.runId, event.attempt());
        if (event instanceof AttemptStarted e) {
            machine.apply(run, run.lifecycle().started(e.attempt(), now), now);
            attempt.filter(a -> a.state.live()).ifPresent(a -> {
                a.state = AttemptState.RUNNING;
                a.startedAt = now;
                a.lastHeartbeatAt = now;
                a.lastStep = e.resumedFromStep();
                a.supervisorUrl = e.supervisorUrl();
                if (e.resumedFromCheckpointId() != null) { // what the attempt actually resumed from
                    a.resumeCheckpointId = e.resumedFromCheckpointId();
                    a.resumeStep = e.resumedFromStep();
                    a.resumeExact = e.resumeExact();
                    a.resumeDifferences = e.resumeDifferences();
                }
            });
            if (Boolean.FALSE.equals(e.resumeExact()) && e.attempt() == run.currentAttempt) {
                run.bitExact = false;
                run.determinismNote = "attempt " + e.attempt() + " resumed from " + e.resumedFromCheckpointId()
                        + " without a bit-exact guarantee: " + String.join("; ", e.resumeDifferences());
            }
        } else if (event instanceof Heartbeat e) {
            attempt.filter(a -> a.state.live() && e.attempt() == run.currentAttempt).ifPresent(a -> {
                if (a.silentAliveSince != null) {
                    LOG.infof("attempt %d of %s is heard again (step %d) after its lease had expired while it was "
                            + "alive", a.attempt(), a.runId(), e.step());
                    a.silentAliveSince = null;
                }
                a.lastHeartbeatAt = now;
                a.lastStep = e.step();
                run.currentStep = e.step();
            });
        } else if (event instanceof AttemptFailed e) {
            attempt.filter(a -> a.endConfirmedAt == null).ifPresent(a -> a.endConfirmedAt = now); // its exit
            machine.fail(run, e.attempt(), e.reason(), describe(e), e.exitCode(), e.checkpointId(), now);
        } else if (event instanceof AttemptSucceeded e) {
            attempt.filter(a -> a.endConfirmedAt == null).ifPresent(a -> a.endConfirmedAt = now);
            succeeded(run, attempt, e, now);
        } else if (event instanceof CheckpointCommitted e) {
            machine.apply(run, run.lifecycle().checkpointCommitted(e.attempt(), e.step()), now);
        }
        // other events carry nothing the scheduler decides on
    }

    private void succeeded(RunEntity run, Optional<AttemptEntity> attempt, AttemptSucceeded e, Instant now) {
        var change = run.lifecycle().succeeded(e.attempt(), now);
        if (change.ignored()) {
            return;
        }
        machine.apply(run, change, now);
        run.finalParamsSha256 = e.finalParamsSha256();
        run.currentStep = e.step();
        attempt.ifPresent(a -> {
            a.state = AttemptState.SUCCEEDED;
            a.endedAt = now;
            a.lastStep = e.step();
            a.exitCode = 0;
        });
    }

    private static String describe(AttemptFailed e) {
        String by = e.reporter() == null ? "" : " (reported by " + e.reporter() + ")";
        String signal = e.signal() == null ? "" : ", signal " + e.signal();
        String code = e.exitCode() == null ? "" : ", exit code " + e.exitCode();
        return e.message() + code + signal + by;
    }
}
