package dev.savepoint.trainer.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trainer container of a Kubernetes command run as the watching sidecar sees it through the shared work folder:
 * its output is read from {@code trainer.log} as it grows, its end is the {@code exit-code} file its wrapper writes.
 * The sidecar cannot signal it: a stop at maxSteps writes the work folder's {@code stop} file, which the trainer's
 * wrapper turns into a SIGTERM; on a preemption the kubelet signals every container itself.
 */
final class LogWatch implements Trainer {

    private final WorkFolder work;
    private final OutputScan scan;
    private final StringBuilder partial = new StringBuilder();
    private long offset;
    private Integer exitCode;
    private long endedAtNanos;

    LogWatch(WorkFolder work, List<String> patterns) {
        this.work = work;
        this.scan = new OutputScan(patterns);
    }

    @Override
    public boolean ended() {
        readLog();
        if (exitCode != null) {
            return true;
        }
        Path file = work.exitCode();
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file).trim();
                if (text.matches("-?\\d{1,4}")) {
                    exitCode = Integer.parseInt(text);
                    long ageMillis = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
                    endedAtNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(Math.max(0, ageMillis));
                    readLog();
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private void readLog() {
        Path log = work.trainerLog();
        try (InputStream in = Files.exists(log) ? Files.newInputStream(log) : InputStream.nullInputStream()) {
            in.skipNBytes(Math.min(offset, Files.exists(log) ? Files.size(log) : 0));
            byte[] fresh = in.readAllBytes();
            offset += fresh.length;
            partial.append(new String(fresh, StandardCharsets.UTF_8));
            for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
                scan.line(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
        } catch (IOException e) {
            // the log is read again on the next poll
        }
    }

    @Override
    public int exitCode() {
        return exitCode == null ? -1 : exitCode;
    }

    @Override
    public long endedAtNanos() {
        return endedAtNanos;
    }

    @Override
    public void terminate() {
        try {
            Files.writeString(work.stopRequest(), "stop\n");
        } catch (IOException e) {
            System.err.println("savepoint: cannot write " + work.stopRequest() + ": " + e);
        }
    }

    @Override
    public void tick() {
        // nothing to enforce: the kubelet kills the trainer container
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
        Thread.sleep(timeout.toMillis()); // polling a shared folder: there is nothing to wait on
    }

    @Override
    public OutputScan scan() {
        return scan;
    }
}
