package dev.savepoint.trainer.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the trainer's output lines as they come: remembers the first line that matches a permanent-failure pattern
 * (a missing script, CUDA out of memory: a relaunch would fail the same way) and the {@code final-params-sha256=}
 * line a trainer may print at its end.
 */
public final class OutputScan {

    /** A permanent-failure pattern and the output line it matched. */
    public record Match(String pattern, String line) {
    }

    static final String FINAL_HASH = "final-params-sha256=";

    private final List<Pattern> patterns;
    private Match first;
    private String finalHash;

    public OutputScan(List<String> permanentPatterns) {
        this.patterns = permanentPatterns.stream().map(Pattern::compile).toList();
    }

    public synchronized void line(String line) {
        if (line.startsWith(FINAL_HASH) && line.substring(FINAL_HASH.length()).trim().matches("[0-9a-fA-F]{64}")) {
            finalHash = line.substring(FINAL_HASH.length()).trim().toLowerCase(Locale.ROOT);
        }
        if (first != null) {
            return;
        }
        for (Pattern p : patterns) {
            if (p.matcher(line).find()) {
                first = new Match(p.pattern(), line);
                return;
            }
        }
    }

    public synchronized Optional<Match> permanent() {
        return Optional.ofNullable(first);
    }

    public synchronized Optional<String> finalHash() {
        return Optional.ofNullable(finalHash);
    }
}
