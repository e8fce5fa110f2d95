package dev.savepoint.scheduler.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The command of a command run's trainer container: the user's image knows nothing of Savepoint, so a small POSIX-sh
 * script ({@code trainer-wrapper.sh} beside this class) passed inline with {@code sh -c} adds the resume arguments the
 * restore init container wrote, keeps the trainer's output in the shared work folder for the watch sidecar, forwards
 * SIGTERM and leaves the trainer's exit code there. It needs only {@code /bin/sh}, {@code mkfifo} and {@code tee}.
 */
final class TrainerWrapper {

    /** The wrapper's {@code $0}, shown in process lists and in its own messages. */
    static final String NAME = "savepoint-trainer";
    /** The variable that tells the wrapper where the work folder is (default {@code /savepoint/work}). */
    static final String WORK_VARIABLE = "SAVEPOINT_WORK";

    static final String SCRIPT = load();

    private TrainerWrapper() {
    }

    /** {@code /bin/sh -c SCRIPT savepoint-trainer ARGV...}: the wrapper runs {@code argv} plus the resume arguments. */
    static List<String> command(List<String> argv) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, NAME));
        command.addAll(argv);
        return List.copyOf(command);
    }

    private static String load() {
        try (InputStream in = TrainerWrapper.class.getResourceAsStream("trainer-wrapper.sh")) {
            if (in == null) {
                throw new IllegalStateException("trainer-wrapper.sh is missing beside " + TrainerWrapper.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
