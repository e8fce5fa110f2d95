package dev.savepoint.trainer.supervisor;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.trainer.config.TrainerConfig;
import dev.savepoint.trainer.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs attempts as child processes, at most {@code slots} at a time (the rest wait in a FIFO queue, as a Ray or
 * Determined job waits for resources), launches each (run, attempt) once, ignores attempts older than the newest
 * seen for their run (fencing), cancels with SIGTERM then SIGKILL, reports deaths the attempt could not report, and
 * forgets ended attempts after {@code savepoint.attempts.forget-after}.
 *
 * <p>One attempt alive per run: a newer attempt of a run stops this worker's older ones, whether its LaunchAttempt
 * arrives here ({@link #launch}) or another worker's attempt shows on {@code savepoint.runs} ({@link #onAttemptSeen}).
 * Looking an attempt up ({@link #find}) never waits for this object's lock, which is held while a child starts.
 */
@ApplicationScoped
public class AttemptSupervisor {

    /** The {@code reporter} of the events this service sends on an attempt's behalf. */
    public static final String REPORTER = "trainer-service";

    private static final Logger LOG = Logger.getLogger(AttemptSupervisor.class);

    private final TrainerConfig config;
    private final AttemptLauncher launcher;
    private final EventPublisher publisher;
    private final AttemptBook attempts = new AttemptBook();
    private final Deque<Attempt> queue = new ArrayDeque<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "attempt-supervisor");
        t.setDaemon(true);
        return t;
    });
    private int running;
    private boolean stopping;

    public AttemptSupervisor(TrainerConfig config, AttemptLauncher launcher, EventPublisher publisher,
            MeterRegistry metrics) {
        this.config = config;
        this.launcher = launcher;
        this.publisher = publisher;
        metrics.gauge("savepoint.attempts.running", this, s -> s.count(AttemptState.RUNNING));
        metrics.gauge("savepoint.attempts.queued", this, s -> s.count(AttemptState.QUEUED));
        long every = config.attempts().forgetEvery().toMillis();
        timers.scheduleWithFixedDelay(this::forgetOldAttempts, every, every, TimeUnit.MILLISECONDS);
    }

    /** Accepts a launch: queued, then started as soon as a slot is free; a duplicate or stale command is ignored. */
    public synchronized void launch(LaunchAttempt command) {
        String runId = command.runId();
        int n = command.attempt();
        if (attempts.find(runId, n).isPresent()) {
            LOG.infof("ignoring duplicate launch of run %s attempt %d: already accepted", runId, n);
            return;
        }
        int newest = attempts.newest(runId);
        if (n < newest) {
            LOG.infof("ignoring launch of run %s attempt %d: attempt %d is newer (fencing)", runId, n, newest);
            return;
        }
        stopOlder(runId, n, "superseded by attempt " + n);
        Attempt attempt = new Attempt(command, launcher.logFile(runId, n));
        attempts.add(attempt);
        queue.add(attempt);
        LOG.infof("accepted run %s attempt %d (%d queued, %d of %d slots busy)", runId, n, queue.size(), running,
                config.attempts().slots());
        startQueued();
    }

    /** Cancels an attempt of this worker; returns false when it has none by that key. */
    public synchronized boolean cancel(String runId, int n, String reason) {
        Attempt attempt = attempts.find(runId, n).orElse(null);
        if (attempt == null) {
            LOG.infof("ignoring cancel of run %s attempt %d: not an attempt of this worker", runId, n);
            return false;
        }
        cancel(attempt, reason == null ? "cancelled" : reason);
        return true;
    }

    /** Progress from the attempt's heartbeat. */
    public void onHeartbeat(String runId, int n, long step) {
        lookup(runId, n).ifPresent(a -> a.progress(step));
    }

    /**
     * Attempt {@code n} of a run is alive somewhere (its AttemptStarted or a Heartbeat on {@code savepoint.runs}): this
     * worker's older attempts of the run are stopped the way a cancel stops them, and older launches are fenced.
     * Cheap for the many events of other runs and of the newest attempt: no lock unless there is something to stop.
     */
    public void onAttemptSeen(String runId, int n) {
        int newest = attempts.newest(runId);
        if (newest == 0 || newest >= n) {
            return; // no attempt of the run here, or older ones were stopped when the newest was first seen
        }
        synchronized (this) {
            attempts.seen(runId, n);
            stopOlder(runId, n, "superseded by attempt " + n + " (seen on " + Topics.RUNS + ")");
        }
    }

    private void stopOlder(String runId, int n, String reason) {
        attempts.all().stream().filter(a -> a.runId().equals(runId) && a.attempt() < n && !a.state().terminal())
                .toList().forEach(older -> cancel(older, reason));
    }

    /** The attempt sent its own AttemptFailed or AttemptSucceeded. */
    public void onReportedByAttempt(String runId, int n, Long step) {
        lookup(runId, n).ifPresent(a -> {
            a.reportedByAttempt();
            if (step != null) {
                a.progress(step);
            }
        });
    }

    private synchronized double count(AttemptState state) {
        return attempts.all().stream().filter(a -> a.state() == state).count();
    }

    public synchronized List<Attempt.Snapshot> list() {
        return attempts.all().stream().map(Attempt::snapshot).toList();
    }

    /** The attempt as it is now (see {@link Attempt#snapshot}); never waits for the supervisor's lock. */
    public Optional<Attempt.Snapshot> find(String runId, int n) {
        return lookup(runId, n).map(Attempt::snapshot);
    }

    /** On shutdown the children are not left behind: SIGTERM lets each write a final checkpoint first. */
    void onStop(@Observes ShutdownEvent event) {
        List<Process> children = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            queue.forEach(a -> {
                a.ended(AttemptState.CANCELLED, null, "trainer-service stopped before the attempt started");
                publisher.publish(failure(a, FailureReason.LAUNCH_FAILED, a.snapshot().message(), null));
            });
            queue.clear();
            attempts.all().stream().filter(a -> a.state() == AttemptState.RUNNING).forEach(a -> {
                a.requestCancel("trainer-service stopped");
                children.add(a.process());
            });
        }
        children.forEach(child -> child.toHandle().destroy());
        long deadline = System.nanoTime() + config.attempts().shutdownGrace().toNanos();
        for (Process child : children) {
            try {
                if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf("attempt process %d did not stop within %s: SIGKILL", child.pid(),
                            config.attempts().shutdownGrace());
                    child.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.toHandle().destroyForcibly();
            }
        }
        timers.shutdown();
    }

    private void cancel(Attempt attempt, String reason) {
        switch (attempt.state()) {
            case QUEUED -> {
                queue.remove(attempt);
                attempt.ended(AttemptState.CANCELLED, null, reason);
                publisher.publish(failure(attempt, FailureReason.CANCELLED, "cancelled before it started: " + reason,
                        null));
            }
            case RUNNING -> {
                if (attempt.requestCancel(reason)) {
                    Process child = attempt.process();
                    LOG.infof("cancelling run %s attempt %d, %s: SIGTERM to %d", attempt.runId(), attempt.attempt(),
                            reason, child.pid());
                    // Through the handle: Process.destroy would also close the pipe that still carries the child's
                    // last lines (final checkpoint, exit reason) to its log.
                    child.toHandle().destroy();
                    later(() -> killIfAlive(child), config.attempts().cancelGrace());
                }
            }
            default -> LOG.infof("run %s attempt %d already ended", attempt.runId(), attempt.attempt());
        }
    }

    private void killIfAlive(Process child) {
        if (child.isAlive()) {
            LOG.warnf("attempt process %d outlived the cancel grace of %s: SIGKILL", child.pid(),
                    config.attempts().cancelGrace());
            child.toHandle().destroyForcibly();
        }
    }

    private void startQueued() {
        while (!stopping && running < config.attempts().slots() && !queue.isEmpty()) {
            start(queue.poll());
        }
    }

    private void start(Attempt attempt) {
        try {
            AttemptLauncher.Started started = launcher.start(attempt.command());
            Process child = started.process();
            attempt.running(child);
            running++;
            LOG.infof("started run %s attempt %d as process %d, log %s", attempt.runId(), attempt.attempt(),
                    child.pid(), attempt.logFile());
            // The end is handled once the log holds the child's last words; the pipe closes with the child, and the
            // limit only guards against a grandchild that kept it open.
            if (attempt.command().spec() != null && attempt.command().spec().isCommand()) {
                child.onExit().thenRunAsync(() -> launcher.killTrainerLeftovers(attempt.runId(), attempt.attempt()));
            }
            child.onExit().thenCompose(p -> started.logClosed().completeOnTimeout(null, 10, TimeUnit.SECONDS))
                    .thenRunAsync(() -> exited(attempt, child.exitValue()), this::execute);
        } catch (Exception e) {
            String message = "could not start the attempt process: " + e.getMessage();
            LOG.errorf(e, "run %s attempt %d: %s", attempt.runId(), attempt.attempt(), message);
            attempt.ended(AttemptState.FAILED, null, message);
            publisher.publish(failure(attempt, FailureReason.LAUNCH_FAILED, message, null));
        }
    }

    private void exited(Attempt attempt, int code) {
        AttemptState outcome = Attempt.outcomeOf(code, attempt.cancelRequested());
        String signal = AttemptExit.signalOf(code);
        String message = "attempt process " + attempt.process().pid() + " exited with code " + code
                + (signal == null ? "" : " (SIG" + signal + ")")
                + (attempt.cancelRequested() ? " after a stop: " + attempt.cancelReason() : "")
                + "; log: " + attempt.logFile();
        synchronized (this) {
            attempt.ended(outcome, code, message);
            running--;
            startQueued();
        }
        LOG.infof("run %s attempt %d %s: %s", attempt.runId(), attempt.attempt(), outcome, message);
        switch (ExitReport.of(code)) {
            case ALWAYS -> publisher.publish(failure(attempt, AttemptExit.reasonOf(code), message, code));
            case UNLESS_ATTEMPT_REPORTED -> later(() -> {
                if (!attempt.wasReportedByAttempt()) {
                    publisher.publish(failure(attempt, AttemptExit.reasonOf(code), message, code));
                }
            }, config.attempts().reportGrace());
            default -> { } // the attempt reported this end itself
        }
    }

    /**
     * Forgets the attempts that ended before {@code cutoff}: they leave the API and their spec and log files are
     * deleted. Returns how many were forgotten.
     */
    public int forgetEndedBefore(Instant cutoff) {
        List<Attempt> forgotten;
        synchronized (this) {
            forgotten = attempts.forgetEndedBefore(cutoff);
        }
        forgotten.forEach(a -> launcher.deleteFiles(a.runId(), a.attempt()));
        if (!forgotten.isEmpty()) {
            LOG.infof("forgot %d attempts that ended before %s", forgotten.size(), cutoff);
        }
        return forgotten.size();
    }

    /** Never sooner than the launch age limit: until then a duplicate launch could arrive and must stay fenced. */
    private void forgetOldAttempts() {
        Duration age = config.attempts().forgetAfter();
        if (age.compareTo(config.commands().maxLaunchAge()) < 0) {
            age = config.commands().maxLaunchAge();
        }
        try {
            forgetEndedBefore(Instant.now().minus(age));
        } catch (RuntimeException e) {
            LOG.warn("forgetting old attempts failed; tried again at the next check", e);
        }
    }

    /** Runs on the supervisor thread; once that stopped (service shutdown), right here. */
    private void execute(Runnable task) {
        try {
            timers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void later(Runnable task, Duration delay) {
        try {
            timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static AttemptFailed failure(Attempt attempt, FailureReason reason, String message, Integer code) {
        return AttemptFailed.of(attempt.runId(), attempt.attempt(), reason, message, code,
                code == null ? null : AttemptExit.signalOf(code), attempt.step(), REPORTER, null);
    }

    private Optional<Attempt> lookup(String runId, int n) {
        return attempts.find(runId, n);
    }
}
