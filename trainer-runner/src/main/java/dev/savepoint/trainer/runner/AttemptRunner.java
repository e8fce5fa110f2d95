package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.command.CommandAttempt;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of one run: read its spec, then run the built-in trainer ({@link DjlAttempt}) or the user's training
 * command ({@link CommandAttempt}), and end with exactly one terminal event and an {@link AttemptExit} code. The spec
 * is read before anything of DJL, so that a command attempt never loads the engine or its natives.
 */
public final class AttemptRunner {

    private final AttemptArgs args;
    private final RunnerConfig config;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final PrintStream out;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile int exitCode = AttemptExit.CRASHED.code();
    private volatile DjlAttempt djl;
    private volatile CommandAttempt command;

    public AttemptRunner(AttemptArgs args, RunnerConfig config, EventSink events, CheckpointStorage storage,
            PrintStream out) {
        this.args = args;
        this.config = config;
        this.events = events;
        this.storage = storage;
        this.out = out;
    }

    /** Runs the attempt to its end and returns its exit code. */
    public int run() {
        try {
            exitCode = runChecked().code();
        } catch (Throwable e) { // an OOM or engine error still ends in a failure event the scheduler can act on
            DjlAttempt d = djl;
            exitCode = AttemptEnd.fail(events, args, d == null ? 0 : d.step(), FailureReason.CRASHED,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), null).code();
        } finally {
            events.flush();
            done.countDown();
        }
        return exitCode;
    }

    /**
     * SIGTERM: the built-in trainer finishes its step and writes a final checkpoint; a command's trainer gets SIGTERM
     * and its complete states are uploaded. Either ends as PREEMPTED.
     */
    public void requestStop() {
        stopRequested = true;
        CommandAttempt c = command;
        if (c != null) {
            c.requestStop();
        }
    }

    /** Waits for {@link #run} to end; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return exitCode;
    }

    private AttemptExit runChecked() throws IOException, InterruptedException {
        RunSpec spec;
        try {
            spec = Json.spec(Files.readAllBytes(args.spec()));
        } catch (IOException | IllegalArgumentException e) {
            return AttemptEnd.fail(events, args, 0, FailureReason.INVALID_SPEC, "spec " + args.spec() + ": "
                    + e.getMessage(), null);
        }
        if (spec.isCommand()) { // before anything of DJL: a command attempt never loads the engine
            CommandAttempt command = new CommandAttempt(args, config, events, storage, out, spec);
            this.command = command;
            if (stopRequested) {
                command.requestStop();
            }
            return command.run();
        }
        if (args.mode() != AttemptArgs.Mode.ATTEMPT) {
            return AttemptEnd.fail(events, args, 0, FailureReason.INVALID_SPEC, "'attempt " + args.mode().word()
                    + "' is for command runs; run " + args.runId() + " uses the built-in trainer", null);
        }
        DjlAttempt djl = new DjlAttempt(args, config, events, storage, out, () -> stopRequested);
        this.djl = djl;
        return djl.run(spec);
    }
}
