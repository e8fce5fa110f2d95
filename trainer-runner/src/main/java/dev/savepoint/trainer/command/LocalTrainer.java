package dev.savepoint.trainer.command;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The training command as the attempt's own child process: stopped with SIGTERM to its process group and SIGKILL
 * after the grace period; once it ended, what is left of its group is killed and its exit code written to the work
 * folder.
 */
final class LocalTrainer implements Trainer {

    private final TrainerProcess process;
    private final OutputScan scan;
    private final WorkFolder work;
    private final Duration grace;
    private long killAtNanos = Long.MAX_VALUE;
    private boolean reaped;

    LocalTrainer(TrainerProcess process, OutputScan scan, WorkFolder work, Duration grace) {
        this.process = process;
        this.scan = scan;
        this.work = work;
        this.grace = grace;
    }

    @Override
    public boolean ended() {
        if (process.isAlive()) {
            return false;
        }
        if (!reaped) {
            reaped = true;
            try {
                process.reap();
                Files.writeString(work.exitCode(), process.exitCode() + "\n");
            } catch (IOException e) {
                System.err.println("savepoint: cannot write " + work.exitCode() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    @Override
    public int exitCode() {
        return process.exitCode();
    }

    @Override
    public long endedAtNanos() throws InterruptedException {
        return process.endedAtNanos();
    }

    @Override
    public void terminate() {
        if (killAtNanos == Long.MAX_VALUE) {
            process.signalGroup("TERM");
            killAtNanos = System.nanoTime() + grace.toNanos();
        }
    }

    @Override
    public void tick() {
        if (System.nanoTime() >= killAtNanos && process.isAlive()) {
            System.err.println("savepoint: the trainer outlived its grace period of " + grace + " after SIGTERM: "
                    + "SIGKILL");
            process.signalGroup("KILL");
            killAtNanos = Long.MAX_VALUE - 1;
        }
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
        process.waitFor(timeout);
    }

    @Override
    public OutputScan scan() {
        return scan;
    }

    @Override
    public OpenFiles openFiles() {
        return OpenFiles.ofProcessGroup(process.pid()); // it runs under setsid: its pid is its process group's id
    }
}
