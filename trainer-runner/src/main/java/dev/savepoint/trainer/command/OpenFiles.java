package dev.savepoint.trainer.command;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which files under the trainer's output folder its processes hold open right now. A state folder with an open file
 * is still being written, however long it has not changed (a trainer stalled in the middle of a save, or stopped with
 * SIGSTOP), so it is not complete.
 *
 * <p>{@link #ofProcessGroup} reads Linux's {@code /proc}: every process of the trainer's process group (the trainer
 * runs in a session of its own, so its children are in it too) and the targets of its {@code fd} links. A process
 * that ends while it is read is skipped. Where {@code /proc} cannot be read (another OS, or the Kubernetes sidecar,
 * which does not share the trainer container's processes) it answers nothing, and completeness rests on the settle
 * time and the marker.
 */
@FunctionalInterface
interface OpenFiles {

    OpenFiles NONE = () -> Set.of();

    /** Absolute, normalized paths of the open files (any mode). */
    Set<Path> open();

    /** The open files of the processes in process group {@code pgid}. */
    static OpenFiles ofProcessGroup(long pgid) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return NONE;
        }
        return () -> {
            Set<Path> open = new HashSet<>();
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
                for (Path pid : pids) {
                    if (processGroup(pid) == pgid) {
                        addOpenFiles(pid, open);
                    }
                }
            } catch (IOException e) {
                return open; // /proc unreadable now: nothing known to be open
            }
            return open;
        };
    }

    /** Field 5 of /proc/PID/stat (after the command name in parentheses, which may hold spaces); -1 if unreadable. */
    private static long processGroup(Path pid) {
        try {
            String stat = Files.readString(pid.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return -1; // ended meanwhile, or not ours to read
        }
    }

    private static void addOpenFiles(Path pid, Set<Path> open) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    open.add(Files.readSymbolicLink(fd).normalize());
                } catch (IOException | UnsupportedOperationException e) {
                    // closed while listed
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile
        }
    }
}
