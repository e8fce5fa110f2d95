package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.determinism.CpuFamily;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.launch.Liveness;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Sends what committed transactions decided (a transactional outbox on the attempt rows), never while one holds a
 * lock: corrupt marks first, then the launch command of every attempt whose row is committed but not yet sent, then
 * cancel commands. A scheduler that dies in between sends them after its restart, and a launch never twice for the
 * same attempt number; the launchers drop a repeated (run, attempt).
 *
 * <p>One attempt alive per run: attempt n+1 is sent only once attempt n's end is confirmed (its exit reported, or
 * its launcher found it gone or could not be asked once its lease expired). An attempt stopped because it stayed
 * alive but silent too long, or cancelled by a user, is confirmed here: its launcher is asked (on the tick, not on
 * the consumer's thread) until it says GONE, or UNKNOWN. Attempt 2 and later (of a fork: once it has a committed
 * checkpoint of its own; before, the checkpoint it was forked from) are launched with the resume point {@code latest}: the attempt itself leases the newest committed checkpoint of its run when it starts, so no
 * checkpoint is picked at failure-handling time and none can be deleted between being picked and being leased.
 */
@ApplicationScoped
public class LaunchDispatcher {

    private static final Logger LOG = Logger.getLogger(LaunchDispatcher.class);

    /** The resume point of every attempt after the first: the newest committed checkpoint, leased by the attempt. */
    public static final String LATEST = "latest";

    private final AttemptRepository attempts;
    private final RunRepository runs;
    private final Launcher launcher;
    private final AfterCommitCalls calls;
    private final Set<AttemptEntity.Key> waitingLogged = ConcurrentHashMap.newKeySet();

    public LaunchDispatcher(AttemptRepository attempts, RunRepository runs, Launcher launcher,
            AfterCommitCalls calls) {
        this.attempts = attempts;
        this.runs = runs;
        this.launcher = launcher;
        this.calls = calls;
    }

    /**
     * Sends what is due.
     *
     * @param probe whether a previous attempt whose end is not confirmed may be asked about now (the tick); the
     *              consumer's thread sends only launches whose previous attempt is confirmed ended already
     */
    public void dispatchPending(boolean probe) {
        dispatchPending(probe, runId -> true);
    }

    /** Sends what is due for the runs {@code mine} accepts (the tick: the runs this replica owns). */
    public synchronized void dispatchPending(boolean probe, Predicate<String> mine) {
        calls.reportCorruptMarks();
        for (AttemptEntity.Key key : pending()) {
            if (!mine.test(key.runId())) {
                continue;
            }
            try {
                if (!previousEnded(key, probe)) {
                    continue;
                }
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

    /** Whether the attempt before {@code key} is confirmed ended; asks its launcher when allowed to. */
    private boolean previousEnded(AttemptEntity.Key key, boolean probe) {
        Optional<AttemptEntity.Key> previous = unconfirmedPrevious(key);
        if (previous.isEmpty()) {
            return true;
        }
        if (!probe) {
            return false;
        }
        AttemptEntity.Key prev = previous.get();
        Liveness liveness = launcher.probe(prev.runId(), prev.attempt(), supervisorUrl(prev));
        if (liveness.state() == Liveness.State.ALIVE) {
            if (waitingLogged.add(key)) {
                LOG.warnf("attempt %d of %s waits: attempt %d is still alive (%s); it is launched once the launcher "
                        + "finds attempt %d gone", key.attempt(), key.runId(), prev.attempt(), liveness.detail(),
                        prev.attempt());
            }
            return false;
        }
        confirmEnded(prev, liveness);
        waitingLogged.remove(key);
        return true;
    }

    @Transactional
    List<AttemptEntity.Key> pending() {
        return attempts.unsent().stream().map(a -> a.id).toList();
    }

    @Transactional
    Optional<AttemptEntity.Key> unconfirmedPrevious(AttemptEntity.Key key) {
        return attempts.find(key.runId(), key.attempt() - 1).filter(a -> a.endConfirmedAt == null).map(a -> a.id);
    }

    @Transactional
    String supervisorUrl(AttemptEntity.Key key) {
        return attempts.findByIdOptional(key).map(a -> a.supervisorUrl).orElse(null);
    }

    @Transactional
    void confirmEnded(AttemptEntity.Key key, Liveness liveness) {
        attempts.findByIdOptional(key).filter(a -> a.endConfirmedAt == null && !a.state.live()).ifPresent(a -> {
            a.endConfirmedAt = Instant.now();
            LOG.infof("attempt %d of %s confirmed ended (%s: %s)", a.attempt(), a.runId(), liveness.state(),
                    liveness.detail());
        });
    }

    @Transactional
    Optional<LaunchAttempt> command(AttemptEntity.Key key) {
        return attempts.findByIdOptional(key).filter(a -> a.commandSentAt == null).map(a -> {
            RunEntity run = runs.findById(a.runId());
            return LaunchAttempt.of(a.runId(), a.attempt(), RunMachine.spec(run), resumePoint(run, a.attempt()),
                    null).onCpu(run.cpuVendor == null ? null : new CpuFamily(run.cpuVendor, run.cpuModel));
        });
    }

    /**
     * Attempt 1 of a run starts fresh, later ones resume from {@code latest}; a fork's attempts resume from the
     * checkpoint it was forked from until the fork has a committed checkpoint of its own (checkpoint-service keeps
     * that checkpoint for it).
     */
    static String resumePoint(RunEntity run, int attempt) {
        if (run.parentCheckpointId != null && run.newestCommittedStep == null) {
            return run.parentCheckpointId;
        }
        return attempt == 1 ? null : LATEST;
    }

    @Transactional
    void markSent(AttemptEntity.Key key) {
        attempts.findByIdOptional(key).ifPresent(a -> a.commandSentAt = Instant.now());
    }
}
