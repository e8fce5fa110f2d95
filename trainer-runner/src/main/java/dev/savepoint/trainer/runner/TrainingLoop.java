package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.spec.CheckpointSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.EngineSettings;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TrainingSession;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The steps of an attempt: train, heartbeat, hand snapshots to the background writer on the spec's cadence, and a
 * final checkpoint at the end or on SIGTERM. The final checkpoint and those retention keeps ({@code keepEverySteps})
 * are must-write: the loop waits for the writer rather than skip them, and the attempt only succeeds once the final
 * one is in storage.
 */
final class TrainingLoop {

    private final AttemptArgs args;
    private final RunSpec spec;
    private final TrainingSession session;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final RunnerConfig config;
    private final BooleanSupplier stopRequested;
    private final CheckpointWriter.Durable resumedFrom;
    private final StateFiles stateFiles;
    private String finalHash;

    TrainingLoop(AttemptArgs args, RunSpec spec, TrainingSession session, EventSink events,
            CheckpointStorage storage, RunnerConfig config, BooleanSupplier stopRequested,
            CheckpointWriter.Durable resumedFrom) {
        this.args = args;
        this.spec = spec;
        this.session = session;
        this.events = events;
        this.storage = storage;
        this.config = config;
        this.stopRequested = stopRequested;
        this.resumedFrom = resumedFrom;
        this.stateFiles = new StateFiles(args, spec);
        EngineSettings.determinismProblems().forEach(p -> System.err.println("savepoint: warning: " + p));
    }

    /** Trains to the end or to SIGTERM; throws when the final (or a kept) checkpoint could not be written. */
    AttemptExit run() throws InterruptedException, CheckpointWriteException {
        var upload = new CheckpointUpload(args.runId(), args.attempt(), storage, events, stateFiles::of,
                config.faults());
        try (var writer = new CheckpointWriter(upload, config.retry(), resumedFrom, System.err);
                var heartbeat = new Heartbeater(args.runId(), args.attempt(), events, writer::progress,
                        spec.runtime().heartbeatMillis(), System.err)) {
            heartbeat.progress(session.state());
            train(writer, heartbeat);
            writer.drain(drainTimeout());
            long step = session.globalStep();
            if (writer.durable() == null || writer.durable().step() != step) {
                throw new CheckpointWriteException("the final checkpoint at step " + step + " is not in storage");
            }
            if (!session.finished()) {
                return AttemptExit.PREEMPTED;
            }
            finalHash = session.finalParamsSha256();
            Snapshot last = session.snapshot();
            events.send(Topics.RUNS, AttemptSucceeded.of(args.runId(), args.attempt(), step, finalHash,
                    Double.isNaN(last.state().loss()) ? null : last.state().loss(), writer.written(),
                    writer.skipped()));
            return AttemptExit.SUCCEEDED;
        }
    }

    private void train(CheckpointWriter writer, Heartbeater heartbeat)
            throws InterruptedException, CheckpointWriteException {
        CheckpointSpec cadence = spec.checkpoint();
        long everyNanos = cadence.everySeconds() == null ? Long.MAX_VALUE : cadence.everySeconds() * 1_000_000_000L;
        long lastQueuedAt = System.nanoTime();
        boolean stop = false;
        while (!session.finished() && !stop) {
            session.step();
            heartbeat.progress(session.state());
            stop = stopRequested.getAsBoolean(); // read once, so the step it ends on is queued as the final one
            long step = session.globalStep();
            boolean last = stop || session.finished();
            boolean due = (cadence.everySteps() != null && step % cadence.everySteps() == 0)
                    || System.nanoTime() - lastQueuedAt >= everyNanos;
            if (last || kept(step)) {
                writer.put(session.snapshot()); // never skipped: the loop waits for room
                lastQueuedAt = System.nanoTime();
            } else if (due) {
                writer.offer(session.snapshot());
                lastQueuedAt = System.nanoTime();
            }
            writer.throwIfFailed();
            config.faults().holdIfAt(step);
            config.faults().pauseAfterStep();
        }
    }

    /** A checkpoint retention will keep: one every {@code keepEverySteps} steps. */
    private boolean kept(long step) {
        int every = spec.retention().keepEverySteps();
        return every > 0 && step % every == 0;
    }

    /** A safety net only: the writer gives up a must-write checkpoint at its own deadline. */
    private Duration drainTimeout() {
        var retry = config.retry();
        return Duration.ofMillis(retry.checkpointDeadlineMillis() + 4 * retry.s3TimeoutMillis() + 60_000);
    }

    String finalHash() {
        return finalHash;
    }
}
