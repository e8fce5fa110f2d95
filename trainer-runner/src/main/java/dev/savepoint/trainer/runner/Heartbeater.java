package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.trainer.engine.TrainerState;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** Sends a heartbeat with the attempt's latest progress every period, from its own thread. */
final class Heartbeater implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final String runId;
    private final int attempt;
    private final EventSink events;
    private final IntSupplier skipped;
    private volatile TrainerState latest;
    private long lastStep = -1;
    private long lastNanos = System.nanoTime();

    Heartbeater(String runId, int attempt, EventSink events, IntSupplier skipped, long periodMillis) {
        this.runId = runId;
        this.attempt = attempt;
        this.events = events;
        this.skipped = skipped;
        timer.scheduleAtFixedRate(this::beat, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Called by the training thread after each step: a cheap volatile write. */
    void progress(TrainerState state) {
        latest = state;
    }

    private void beat() {
        TrainerState s = latest;
        long step = s == null ? 0 : s.globalStep();
        long now = System.nanoTime();
        double rate = lastStep < 0 ? 0 : (step - lastStep) / ((now - lastNanos) / 1e9);
        lastStep = step;
        lastNanos = now;
        events.send(Topics.RUNS, Heartbeat.of(runId, attempt, step, s == null ? 0 : (int) s.epoch(),
                s == null ? 0L : s.samplesSeen(), s == null ? null : s.lr(),
                s == null || Double.isNaN(s.loss()) ? null : s.loss(), rate, skipped.getAsInt(),
                ProcessHandle.current().pid()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
