package dev.savepoint.trainer.supervisor;

import dev.savepoint.contracts.events.AttemptExit;

/**
 * Decides whether the supervisor reports an attempt's exit: the runner reports its own ends (exit codes of
 * {@link AttemptExit} other than CRASHED), never a signal death, and a crash only when it got far enough.
 */
public enum ExitReport {
    /** The attempt sent its own terminal event before this exit code. */
    NONE,
    /** Nobody else can report this exit (killed by a signal): report it. */
    ALWAYS,
    /** The attempt may have reported it (a crash it caught) or not (the JVM failed to start): report it unless the
     *  attempt's own terminal event arrives within the report grace. */
    UNLESS_ATTEMPT_REPORTED;

    public static ExitReport of(int exitCode) {
        if (exitCode > 128) {
            return ALWAYS;
        }
        return switch (exitCode) {
            case 0, 3, 4, 5, 6 -> NONE;
            default -> UNLESS_ATTEMPT_REPORTED;
        };
    }
}
