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
 * final checkpoint at the end or on SIGTERM.
 */
final class TrainingLoop {

    private final AttemptArgs args;
    private final RunSpec spec;
    private final TrainingSession session;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final RunnerConfig config;
    private final BooleanSupplier stopRequested;
    private final StateFiles stateFiles;
    private String finalHash;

    TrainingLoop(AttemptArgs args, RunSpec spec, TrainingSession session, EventSink events,
            CheckpointStorage storage, RunnerConfig config, BooleanSupplier stopRequested) {
        this.args = args;
        this.spec = spec;
        this.session = session;
        this.events = events;
        this.storage = storage;
        this.config = config;
        this.stopRequested = stopRequested;
        this.stateFiles = new StateFiles(args, spec);
        EngineSettings.determinismProblems().forEach(p -> System.err.println("savepoint: warning: " + p));
    }

    AttemptExit run() throws InterruptedException {
        CheckpointSpec cadence = spec.checkpoint();
        long everyNanos = cadence.everySeconds() == null ? Long.MAX_VALUE : cadence.everySeconds() * 1_000_000_000L;
        try (var writer = new CheckpointWriter(args.runId(), args.attempt(), storage, events, stateFiles::of,
                config.uploadPauseMillis());
                var heartbeat = new Heartbeater(args.runId(), args.attempt(), events, writer::skipped,
                        spec.runtime().heartbeatMillis())) {
            heartbeat.progress(session.state());
            long lastQueued = session.globalStep();
            long lastQueuedAt = System.nanoTime();
            while (!session.finished() && !stopRequested.getAsBoolean()) {
                session.step();
                heartbeat.progress(session.state());
                long step = session.globalStep();
                boolean due = (cadence.everySteps() != null && step % cadence.everySteps() == 0)
                        || System.nanoTime() - lastQueuedAt >= everyNanos;
                if (due && writer.offer(session.snapshot())) {
                    lastQueued = step;
                    lastQueuedAt = System.nanoTime();
                }
            }
            if (lastQueued != session.globalStep()) {
                writer.put(session.snapshot()); // the final checkpoint is never skipped
            }
            if (!writer.drain(Duration.ofMinutes(5))) {
                System.err.println("savepoint: the final checkpoint did not finish uploading within 5 minutes");
            }
            if (!session.finished()) {
                return AttemptExit.PREEMPTED;
            }
            finalHash = session.finalParamsSha256();
            Snapshot last = session.snapshot();
            events.send(Topics.RUNS, AttemptSucceeded.of(args.runId(), args.attempt(), last.state().globalStep(),
                    finalHash, Double.isNaN(last.state().loss()) ? null : last.state().loss(), writer.written(),
                    writer.skipped()));
            return AttemptExit.SUCCEEDED;
        }
    }

    String finalHash() {
        return finalHash;
    }
}
