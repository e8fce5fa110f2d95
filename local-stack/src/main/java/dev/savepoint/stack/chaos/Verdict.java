package dev.savepoint.stack.chaos;

import java.util.List;

/** One invariant after a chaos run: its name, whether it held, and what broke it (at most a few examples). */
public record Verdict(String invariant, boolean held, List<String> details) {

    static Verdict of(String invariant, List<String> violations) {
        return new Verdict(invariant, violations.isEmpty(), violations.stream().limit(8).toList());
    }

    /** The line of the table: held, or broken with the first violations. */
    public String line() {
        return String.format("%-62s %s", invariant, held ? "held" : "BROKEN: " + String.join("; ", details));
    }
}
