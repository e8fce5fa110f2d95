package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.trainer.engine.TrainerState;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends a heartbeat with the attempt's latest progress and checkpoint state every period, from its own thread. A beat
 * that throws is logged and the next one happens anyway: a scheduled task that throws is never run again, and a
 * silent attempt is killed for HEARTBEAT_LOST.
 */
public final class Heartbeater implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final String runId;
    private final int attempt;
    private final EventSink events;
    private final Supplier<CheckpointWriter.Progress> checkpoints;
    private final PrintStream log;
    private volatile TrainerState latest;
    private long lastStep = -1;
    private long lastNanos = System.nanoTime();

    public Heartbeater(String runId, int attempt, EventSink events, Supplier<CheckpointWriter.Progress> checkpoints,
            long periodMillis, PrintStream log) {
        this.runId = runId;
        this.attempt = attempt;
        this.events = events;
        this.checkpoints = checkpoints;
        this.log = log;
        timer.scheduleAtFixedRate(this::beatGuarded, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Called by the training thread after each step: a cheap volatile write. */
    public void progress(TrainerState state) {
        latest = state;
    }

    private void beatGuarded() {
        try {
            beat();
        } catch (RuntimeException | Error e) { // even an Error: whether the attempt is dead is the trainer's call
            log.println("savepoint: heartbeat of attempt " + attempt + " of run " + runId + " failed: " + e
                    + "; the next one follows on schedule");
        }
    }

    private void beat() {
        TrainerState s = latest;
        long step = s == null ? 0 : s.globalStep();
        long now = System.nanoTime();
        double rate = lastStep < 0 ? 0 : (step - lastStep) / ((now - lastNanos) / 1e9);
        lastStep = step;
        lastNanos = now;
        CheckpointWriter.Progress c = checkpoints.get();
        events.send(Topics.RUNS, Heartbeat.of(runId, attempt, step, s == null ? 0 : (int) s.epoch(),
                s == null ? 0L : s.samplesSeen(), s == null ? null : s.lr(),
                s == null || Double.isNaN(s.loss()) ? null : s.loss(), rate, c.skipped(),
                ProcessHandle.current().pid(), c.durableStep(), c.durableAgeMillis()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
