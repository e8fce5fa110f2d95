package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import java.io.IOException;
import java.net.InetAddress;

/** How every kind of attempt ends in failure: one log line, one {@code AttemptFailed}, the matching exit code. */
public final class AttemptEnd {

    private AttemptEnd() {
    }

    /** Logs and sends the failure, and returns the exit code that stands for {@code reason}. */
    public static AttemptExit fail(EventSink events, AttemptArgs args, long step, FailureReason reason,
            String message, String checkpointId) {
        return fail(events, args, step, reason, message, checkpointId, null, null);
    }

    /** The same, with the exit code and signal of the trainer process that ended (a command run's). */
    public static AttemptExit fail(EventSink events, AttemptArgs args, long step, FailureReason reason,
            String message, String checkpointId, Integer exitCode, String signal) {
        System.err.println("savepoint: attempt " + args.attempt() + " of run " + args.runId() + " failed ("
                + reason + "): " + message);
        events.send(Topics.RUNS, AttemptFailed.of(args.runId(), args.attempt(), reason, message, exitCode, signal,
                step, "attempt", checkpointId));
        return exitOf(reason);
    }

    /** The exit code of an attempt that failed for {@code reason}. */
    public static AttemptExit exitOf(FailureReason reason) {
        return switch (reason) {
            case INVALID_SPEC -> AttemptExit.INVALID_SPEC;
            case DATA_ERROR -> AttemptExit.DATA_ERROR;
            case CHECKPOINT_CORRUPT -> AttemptExit.CHECKPOINT_CORRUPT;
            case PREEMPTED -> AttemptExit.PREEMPTED;
            case NOT_REPRODUCIBLE -> AttemptExit.NOT_REPRODUCIBLE;
            case PERMANENT_ERROR -> AttemptExit.PERMANENT_ERROR;
            default -> AttemptExit.CRASHED;
        };
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
