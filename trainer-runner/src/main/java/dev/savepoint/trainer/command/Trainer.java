package dev.savepoint.trainer.command;

import java.time.Duration;

/**
 * The running training command as the attempt supervises it: its own child ({@link LocalTrainer}) or, on Kubernetes,
 * the trainer container seen through the shared work folder ({@link LogWatch}).
 */
interface Trainer {

    /** Whether the trainer has ended (after which {@link #exitCode} and {@link #endedAtNanos} are known). */
    boolean ended();

    /** Its exit code: 128 + n when signal n killed it; -1 when it is not known. */
    int exitCode();

    /** When it ended, on the {@link System#nanoTime()} clock. */
    long endedAtNanos() throws InterruptedException;

    /** Asks it to stop (SIGTERM); {@link #tick} enforces the grace period after that. */
    void terminate();

    /** Called on every poll: the place for time-based actions (SIGKILL once the grace period is over). */
    void tick();

    /** Waits up to {@code timeout} for the end. */
    void await(Duration timeout) throws InterruptedException;

    /** What its output said so far. */
    OutputScan scan();

    /** The files its processes hold open, where they can be seen (its own child: yes; another container: no). */
    default OpenFiles openFiles() {
        return OpenFiles.NONE;
    }
}
