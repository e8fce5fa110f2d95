package dev.savepoint.stack.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** The table a chaos run ends with: faults by kind (injected, spared, longest wait caused), then the invariants. */
final class ChaosTable {

    private ChaosTable() {
    }

    static void print(ChaosRun.Outcome outcome, PrintStream out) {
        List<InjectedFault> faults = outcome.chaos().faults();
        out.printf("%nchaos run, seed %d (replay: --seed %d / -Dchaos.seed=%d), %.0f s in all%n", outcome.chaos().seed(),
                outcome.chaos().seed(), outcome.chaos().seed(), outcome.took().toMillis() / 1e3);
        out.printf("%-18s %8s %8s %16s%n", "fault", "injected", "spared", "longest wait (s)");
        for (FaultKind kind : FaultKind.values()) {
            long injected = faults.stream().filter(f -> f.kind() == kind && f.injected()).count();
            long spared = faults.stream().filter(f -> f.kind() == kind && !f.injected()).count();
            Duration longest = faults.stream().filter(f -> f.kind() == kind && f.injected()).map(InjectedFault::waited)
                    .max(Duration::compareTo).orElse(Duration.ZERO);
            out.printf("%-18s %8d %8d %16.1f%n", kind, injected, spared, longest.toMillis() / 1e3);
        }
        out.printf("%-18s %8d %8d%n", "all", faults.stream().filter(InjectedFault::injected).count(),
                faults.stream().filter(f -> !f.injected()).count());
        out.println();
        outcome.verdicts().forEach(v -> out.println(v.line()));
        out.println(outcome.allHeld() ? "every invariant held" : "INVARIANTS BROKEN");
    }
}
