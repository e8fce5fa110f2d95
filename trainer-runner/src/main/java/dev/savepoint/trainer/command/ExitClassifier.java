package dev.savepoint.trainer.command;

import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.FailureReason;
import java.util.List;
import java.util.Optional;

/**
 * Why a training command that did not succeed failed: a permanent-failure pattern in its output or an exit code the
 * spec lists as permanent is PERMANENT_ERROR (never retried), death by a signal is KILLED, anything else CRASHED
 * (retried from the newest committed state).
 */
public final class ExitClassifier {

    /** The failure's reason and a message that says what happened. */
    public record Verdict(FailureReason reason, String message, String signal) {
    }

    private ExitClassifier() {
    }

    public static Verdict classify(int exitCode, Optional<OutputScan.Match> permanent,
            List<Integer> permanentExitCodes) {
        if (permanent.isPresent()) {
            return new Verdict(FailureReason.PERMANENT_ERROR, "permanent failure: output matched '"
                    + permanent.get().pattern() + "': " + permanent.get().line() + " (exit code " + exitCode + ")",
                    null);
        }
        if (permanentExitCodes.contains(exitCode)) {
            return new Verdict(FailureReason.PERMANENT_ERROR, "permanent failure: the trainer exited with code "
                    + exitCode + ", which trainer.permanentExitCodes lists", null);
        }
        String signal = AttemptExit.signalOf(exitCode);
        if (signal != null) {
            return new Verdict(FailureReason.KILLED, "the trainer was killed by " + (signal.startsWith("SIG") ? "" : "SIG") + signal + " (exit code "
                    + exitCode + ")", signal);
        }
        return new Verdict(FailureReason.CRASHED, "the trainer exited with code " + exitCode, null);
    }
}
