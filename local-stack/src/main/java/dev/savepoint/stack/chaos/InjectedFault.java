package dev.savepoint.stack.chaos;

import java.time.Duration;

/**
 * One fault as it was injected: what it hit, when (from the start of the chaos), how long the part was out, and how
 * long the runs that were live then waited until each was back past the step it had reached (or had ended).
 */
public final class InjectedFault {

    final ChaosPlan.Planned planned;
    volatile String target = "-";
    volatile Duration injectedAt = Duration.ZERO;
    volatile Duration outage = Duration.ZERO;
    volatile Duration waited = Duration.ZERO;
    volatile boolean injected;
    volatile String note = "";

    InjectedFault(ChaosPlan.Planned planned) {
        this.planned = planned;
    }

    public FaultKind kind() {
        return planned.kind();
    }

    public boolean injected() {
        return injected;
    }

    public Duration waited() {
        return waited;
    }

    public String target() {
        return target;
    }

    public Duration injectedAt() {
        return injectedAt;
    }

    public String note() {
        return note;
    }

    /** The log line of the fault. */
    public String line() {
        return String.format("#%-3d +%6.1fs  %-16s %-40s %s%s", planned.number(), injectedAt.toMillis() / 1e3,
                planned.kind(), target, injected ? (outage.isZero() ? "" : String.format("out %.1fs", outage
                        .toMillis() / 1e3)) : "not injected", note.isEmpty() ? "" : "  (" + note + ")");
    }
}
