package dev.savepoint.trainer.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * An attempt's log file, size-capped: the child's output is copied into {@code x.log}; when that would pass
 * {@code maxBytes} it becomes {@code x.log.1} (older ones shift to {@code .2} ... {@code .backups}, the oldest is
 * dropped) and a new {@code x.log} begins, so a chatty attempt cannot fill the disk. Files roll at a byte boundary.
 */
final class AttemptLog {

    private static final Logger LOG = Logger.getLogger(AttemptLog.class);

    private final Path file;
    private final long maxBytes;
    private final int backups;
    private OutputStream out;
    private long size;

    AttemptLog(Path file, long maxBytes, int backups) {
        if (maxBytes < 1 || backups < 0) {
            throw new IllegalArgumentException("an attempt log needs max-bytes >= 1 and backups >= 0, got " + maxBytes
                    + " and " + backups);
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.backups = backups;
    }

    /** The log file and its rotated backups, newest first. */
    static List<Path> files(Path file, int backups) {
        List<Path> all = new ArrayList<>(List.of(file));
        for (int i = 1; i <= backups; i++) {
            all.add(backup(file, i));
        }
        return all;
    }

    /**
     * Copies {@code in} into the log on a daemon thread until its end; the future completes (never exceptionally) once
     * every byte is written and the file is closed.
     */
    CompletableFuture<Void> copyInBackground(InputStream in, String threadName) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread copier = new Thread(() -> {
            try (in) {
                copy(in);
            } catch (IOException e) {
                LOG.warnf("copying attempt output into %s stopped: %s", file, e.getMessage());
            } finally {
                closeQuietly();
                closed.complete(null);
            }
        }, threadName);
        copier.setDaemon(true);
        copier.start();
        return closed;
    }

    /** Appends everything {@code in} yields, rolling the file over whenever it reaches the cap. */
    void copy(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            int offset = 0;
            while (offset < n) {
                if (out == null || size >= maxBytes) {
                    roll();
                }
                int chunk = (int) Math.min(n - offset, maxBytes - size);
                out.write(buffer, offset, chunk);
                out.flush(); // readers (the API's log path, a test) see the output as it comes
                size += chunk;
                offset += chunk;
            }
        }
    }

    /** Opens the log (appending to what an earlier launch on this worker left) or starts a new one. */
    private void roll() throws IOException {
        if (out == null) {
            size = Files.exists(file) ? Files.size(file) : 0;
            if (size < maxBytes) {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return;
            }
        } else {
            out.close();
            out = null;
        }
        shiftBackups();
        size = 0;
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** x.log.(n-1) -> x.log.n ... x.log -> x.log.1; the oldest falls off. */
    private void shiftBackups() throws IOException {
        if (backups == 0) {
            Files.deleteIfExists(file);
            return;
        }
        for (int i = backups - 1; i >= 1; i--) {
            if (Files.exists(backup(file, i))) {
                Files.move(backup(file, i), backup(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, backup(file, 1), StandardCopyOption.REPLACE_EXISTING);
    }

    private void closeQuietly() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.warnf("closing attempt log %s failed: %s", file, e.getMessage());
        }
    }

    private static Path backup(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }
}
