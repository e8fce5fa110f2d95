package dev.savepoint.trainer.supervisor;

import dev.savepoint.trainer.command.TrainerProcess;
import dev.savepoint.trainer.command.WorkFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The process group of a command run's trainer, which the attempt process started in a session of its own and whose
 * id it wrote to {@code command.pid} in its work folder. When the attempt process ends in any way (a SIGKILL of its
 * JVM included, which leaves it no time to stop its child), the group is killed here, so that no trainer outlives its
 * attempt and keeps writing, or holding a GPU, beside its successor.
 */
final class TrainerGroup {

    private static final Logger LOG = Logger.getLogger(TrainerGroup.class);

    private TrainerGroup() {
    }

    /** The group id recorded in a work folder, if the attempt started its trainer. */
    static Optional<Long> recorded(Path workFolder) {
        try {
            String text = Files.readString(new WorkFolder(workFolder).pidFile()).trim();
            return text.matches("[1-9][0-9]{0,9}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // never started: nothing to kill
        }
    }

    /** SIGKILL to every process left in the group recorded in {@code workFolder}; true when one was there. */
    static boolean killLeftovers(Path workFolder, String runId, int attempt) {
        Optional<Long> group = recorded(workFolder);
        boolean killed = group.isPresent() && TrainerProcess.signalGroup(group.get(), "KILL");
        if (killed) {
            LOG.warnf("run %s attempt %d: its trainer's process group %d outlived the attempt process: SIGKILL",
                    runId, attempt, group.get());
        }
        return killed;
    }
}
