package dev.savepoint.trainer.runner;

import java.nio.file.Path;
import java.util.List;

/** The command line of one attempt: {@code --run ID --attempt N --spec FILE [--resume-from CHECKPOINT_ID|latest]}. */
public record AttemptArgs(String runId, int attempt, Path spec, String resumeFrom) {

    public static final String USAGE =
            "usage: ./savepoint attempt --run ID --attempt N --spec FILE [--resume-from CHECKPOINT_ID|latest]";

    public static AttemptArgs parse(List<String> args) {
        String run = null;
        String attempt = null;
        String spec = null;
        String resume = null;
        for (int i = 0; i < args.size(); i++) {
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
        return new AttemptArgs(run, Integer.parseInt(attempt), Path.of(spec), resume);
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
