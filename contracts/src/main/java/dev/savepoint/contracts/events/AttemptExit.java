package dev.savepoint.contracts.events;

import java.util.Arrays;

/**
 * Exit codes of an attempt process, so that its supervisor (trainer-service, a Kubernetes Job watcher) can classify a
 * death the attempt could not report itself. Killed by a signal: 128 + the signal number.
 */
public enum AttemptExit {
    SUCCEEDED(0, null),
    CRASHED(1, FailureReason.CRASHED),
    USAGE(2, FailureReason.INVALID_SPEC),
    INVALID_SPEC(3, FailureReason.INVALID_SPEC),
    DATA_ERROR(4, FailureReason.DATA_ERROR),
    CHECKPOINT_CORRUPT(5, FailureReason.CHECKPOINT_CORRUPT),
    PREEMPTED(6, FailureReason.PREEMPTED),
    NOT_REPRODUCIBLE(7, FailureReason.NOT_REPRODUCIBLE),
    PERMANENT_ERROR(8, FailureReason.PERMANENT_ERROR);

    private final int code;
    private final FailureReason reason;

    AttemptExit(int code, FailureReason reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The failure an exit code stands for: 137 (SIGKILL) and other signals are KILLED, unknown codes CRASHED. */
    public static FailureReason reasonOf(int exitCode) {
        if (exitCode > 128 && exitCode < 160) {
            return exitCode == 143 ? FailureReason.PREEMPTED : FailureReason.KILLED;
        }
        return Arrays.stream(values()).filter(e -> e.code == exitCode && e.reason != null).findFirst()
                .map(AttemptExit::reason).orElse(FailureReason.CRASHED);
    }

    /** The signal name for an exit code of 128 + n (e.g. 137 -> KILL), or null. */
    public static String signalOf(int exitCode) {
        return switch (exitCode) {
            case 137 -> "KILL";
            case 143 -> "TERM";
            case 134 -> "ABRT";
            case 139 -> "SEGV";
            case 130 -> "INT";
            default -> exitCode > 128 && exitCode < 160 ? "SIG" + (exitCode - 128) : null;
        };
    }
}
