package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.determinism.CpuFamily;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.FailureReason;
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
                recomputeFrom(a, now);
            });
            CpuFamily cpu = CpuFamily.of(e.fingerprint());
            if (cpu != null && e.attempt() == run.currentAttempt
                    && (e.resumedFromCheckpointId() == null || Boolean.TRUE.equals(e.resumeExact()))) {
                run.cpuVendor = cpu.vendor(); // its checkpoints are computed on this CPU from now on
                run.cpuModel = cpu.model();
            }
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
                caughtUp(a, e.step(), now);
            });
        } else if (event instanceof AttemptFailed e) {
            attempt.filter(a -> a.endConfirmedAt == null).ifPresent(a -> a.endConfirmedAt = now); // its exit
            attempt.filter(a -> a.state.live() && e.step() != null && (a.lastStep == null || e.step() > a.lastStep))
                    .ifPresent(a -> a.lastStep = e.step()); // the step it died at, if past its last heartbeat's
            machine.fail(run, e.attempt(), e.reason(), describe(e), e.exitCode(), e.checkpointId(), now);
        } else if (event instanceof AttemptSucceeded e) {
            attempt.filter(a -> a.endConfirmedAt == null).ifPresent(a -> a.endConfirmedAt = now);
            claimed(run, attempt, e, now);
        } else if (event instanceof CheckpointCommitted e) {
            machine.apply(run, run.lifecycle().checkpointCommitted(e.attempt(), e.step()), now);
            if (run.newestCommittedStep == null || e.step() >= run.newestCommittedStep) {
                run.newestCommittedStep = e.step();
                run.newestCommittedParamsSha256 = e.paramsSha256();
            }
            attempts.find(run.runId, run.currentAttempt).ifPresent(a -> settle(run, a, now));
        } else if (event instanceof CheckpointRejected e) {
            attempts.find(run.runId, run.currentAttempt).filter(a -> e.attempt() == a.attempt() && a.state.live())
                    .ifPresent(a -> rejected(run, a, e, now));
        }
        // other events carry nothing the scheduler decides on
    }

    /**
     * An attempt says it trained to the end. A command run's trainer is believed (its files are its own); a built-in
     * attempt's claim is held until a checkpoint at its final step is committed, and then must match the parameter
     * hash checkpoint-service computed from that checkpoint's stored model file.
     */
    private void claimed(RunEntity run, Optional<AttemptEntity> attempt, AttemptSucceeded e, Instant now) {
        if (e.attempt() != run.currentAttempt || !run.state.attemptLive() || attempt.isEmpty()) {
            return; // fenced: a late or duplicate report changes nothing
        }
        AttemptEntity a = attempt.get();
        a.claimedStep = e.step();
        a.claimedParamsSha256 = e.finalParamsSha256();
        a.claimedAt = now;
        if (RunMachine.spec(run).isCommand()) {
            succeeded(run, a, now);
            return;
        }
        settle(run, a, now);
        if (a.state.live() && a.claimedStep.equals(a.rejectedStep)) {
            refuteByRejection(run, a, now); // the rejection came first (another topic)
        }
        if (a.state.live()) {
            LOG.infof("attempt %d of %s reports success at step %d; waiting for its final checkpoint's commit to "
                    + "confirm it", a.attempt(), run.runId, e.step());
        }
    }

    /** Keeps the newest rejection of the attempt's checkpoints; one at the claimed step refutes the claim. */
    private void rejected(RunEntity run, AttemptEntity a, CheckpointRejected e, Instant now) {
        if (a.rejectedStep == null || e.step() >= a.rejectedStep) {
            a.rejectedStep = e.step();
            a.rejectedWhy = "its final checkpoint " + e.checkpointId() + " was rejected: " + e.reason() + " ("
                    + e.message() + ")";
        }
        if (a.claimedStep != null && a.claimedStep.equals(e.step())) {
            refuteByRejection(run, a, now);
        }
    }

    private void refuteByRejection(RunEntity run, AttemptEntity a, Instant now) {
        if (a.claimedStep.equals(run.newestCommittedStep)) {
            return; // a checkpoint at that step was committed after all; settle decided on it
        }
        machine.fail(run, a.attempt(), FailureReason.UNVERIFIED_SUCCESS, "attempt " + a.attempt()
                + " reported success at step " + a.claimedStep + " but " + a.rejectedWhy, 0, null, now);
    }

    /** Decides a held claim once the run's newest committed checkpoint is at the claimed step. */
    private void settle(RunEntity run, AttemptEntity a, Instant now) {
        if (a.claimedStep == null || !a.state.live() || run.newestCommittedStep == null
                || !run.newestCommittedStep.equals(a.claimedStep)) {
            return;
        }
        String stored = run.newestCommittedParamsSha256;
        if (stored == null || stored.equals(a.claimedParamsSha256)) {
            succeeded(run, a, now);
            return;
        }
        String why = "attempt " + a.attempt() + " reported final parameters " + a.claimedParamsSha256 + " at step "
                + a.claimedStep + ", but the parameters of the committed checkpoint at that step hash to " + stored;
        LOG.warnf("run %s: %s; the success is refused and the run resumes from that checkpoint", run.runId, why);
        machine.fail(run, a.attempt(), FailureReason.UNVERIFIED_SUCCESS, why, 0, null, now);
    }

    private void succeeded(RunEntity run, AttemptEntity a, Instant now) {
        var change = run.lifecycle().succeeded(a.attempt(), now);
        if (change.ignored()) {
            return;
        }
        machine.apply(run, change, now);
        run.finalParamsSha256 = a.claimedParamsSha256;
        run.currentStep = a.claimedStep;
        a.state = AttemptState.SUCCEEDED;
        a.endedAt = now;
        a.lastStep = a.claimedStep;
        a.exitCode = 0;
        caughtUp(a, a.claimedStep, now);
    }

    /**
     * Goodput: the steps between this attempt's resume point and the furthest step an earlier attempt reached are
     * re-trained; it has caught up once it reports that step (at once when it resumed at or past it).
     */
    private void recomputeFrom(AttemptEntity a, Instant now) {
        long furthest = attempts.ofRun(a.runId()).stream()
                .filter(earlier -> earlier.attempt() < a.attempt() && earlier.lastStep != null)
                .mapToLong(earlier -> earlier.lastStep).max().orElse(-1);
        if (furthest >= 0) {
            a.recomputeUntilStep = furthest;
        }
        caughtUp(a, a.lastStep == null ? 0 : a.lastStep, now);
    }

    private static void caughtUp(AttemptEntity a, Long step, Instant now) {
        if (a.caughtUpAt == null && step != null && (a.recomputeUntilStep == null || step >= a.recomputeUntilStep)) {
            a.caughtUpAt = now;
        }
    }

    private static String describe(AttemptFailed e) {
        String by = e.reporter() == null ? "" : " (reported by " + e.reporter() + ")";
        String signal = e.signal() == null ? "" : ", signal " + e.signal();
        String code = e.exitCode() == null ? "" : ", exit code " + e.exitCode();
        return e.message() + code + signal + by;
    }
}
