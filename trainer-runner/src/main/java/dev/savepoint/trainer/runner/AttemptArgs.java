package dev.savepoint.trainer.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The command line of one attempt: {@code [restore|watch] --run ID --attempt N --spec FILE
 * [--resume-from CHECKPOINT_ID|latest] [--work DIR]}. Without a sub-command the attempt runs whole; {@code restore}
 * and {@code watch} are a command run's two halves on Kubernetes (an init container and a native sidecar).
 * {@code work} is a command run's work folder, null for the default ({@code command/<runId>/attempt-<n>}).
 */
public record AttemptArgs(Mode mode, String runId, int attempt, Path spec, String resumeFrom, Path work) {

    public static final String USAGE = "usage: ./savepoint attempt [restore|watch] --run ID --attempt N --spec FILE "
            + "[--resume-from CHECKPOINT_ID|latest] [--work DIR]";

    /** What the process does: the whole attempt, only the restore, or only the watch of a running trainer. */
    public enum Mode {
        ATTEMPT, RESTORE, WATCH;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A whole attempt with the default work folder. */
    public AttemptArgs(String runId, int attempt, Path spec, String resumeFrom) {
        this(Mode.ATTEMPT, runId, attempt, spec, resumeFrom, null);
    }

    /** The command run's work folder: {@code --work}, else {@code command/<runId>/attempt-<n>} under the cwd. */
    public Path workDir() {
        return work != null ? work : Path.of("command", runId, "attempt-" + attempt);
    }

    public static AttemptArgs parse(List<String> args) {
        Mode mode = Mode.ATTEMPT;
        int first = 0;
        if (!args.isEmpty() && (args.get(0).equals("restore") || args.get(0).equals("watch"))) {
            mode = Mode.valueOf(args.get(0).toUpperCase(Locale.ROOT));
            first = 1;
        }
        String run = null;
        String attempt = null;
        String spec = null;
        String resume = null;
        String work = null;
        for (int i = first; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new UsageException("");
            }
            if (i + 1 >= args.size()) {
                throw new UsageException("option " + flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--run" -> run = value;
                case "--attempt" -> attempt = value;
                case "--spec" -> spec = value;
                case "--resume-from" -> resume = value;
                case "--work" -> work = value;
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
        }
        if (run == null || !run.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new UsageException("--run must be 1-128 letters, digits, '.', '_' or '-', got " + quoted(run));
        }
        if (attempt == null || !attempt.matches("[1-9][0-9]{0,8}")) {
            throw new UsageException("--attempt must be a whole number >= 1, got " + quoted(attempt));
        }
        if (spec == null) {
            throw new UsageException("--spec FILE is required");
        }
        if (mode != Mode.ATTEMPT && work == null) {
            throw new UsageException("'" + mode.word() + "' needs --work DIR (the folder shared with the trainer)");
        }
        if (mode == Mode.WATCH && resume != null) {
            throw new UsageException("'watch' takes no --resume-from: it reads the restored state from --work");
        }
        return new AttemptArgs(mode, run, Integer.parseInt(attempt), Path.of(spec), resume,
                work == null ? null : Path.of(work));
    }

    private static String quoted(String v) {
        return v == null ? "nothing" : "'" + v + "'";
    }

    /** A command line that cannot be run; the message says which option is wrong. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }
}
