package dev.savepoint.trainer.runner;

import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background checkpoint writer, so that training never blocks on storage. Snapshots wait in a
 * {@link SnapshotSlot}: a newer one replaces a waiting one, which is skipped. Must-write snapshots (the final one, one
 * retention keeps) are never skipped and are retried with backoff until written or past the deadline; a failed
 * upload of any other is retried until a newer snapshot replaces it. Every failed try is logged.
 */
public final class CheckpointWriter implements AutoCloseable {

    /** What heartbeats report: checkpoints skipped so far, and the newest durable one (null before any). */
    public record Progress(int skipped, Long durableStep, Long durableAgeMillis) {
    }

    /** A checkpoint known to be in storage: its step and when it was written (epoch millis). */
    record Durable(long step, long writtenAtMillis) {
    }

    private final CheckpointUpload upload;
    private final RetryPolicy retry;
    private final PrintStream log;
    private final SnapshotSlot slot;
    private final AtomicInteger written = new AtomicInteger();
    private volatile Durable durable;
    private volatile boolean closed;
    private final Thread thread;

    CheckpointWriter(CheckpointUpload upload, RetryPolicy retry, Durable resumedFrom, PrintStream log) {
        this.upload = upload;
        this.retry = retry;
        this.durable = resumedFrom;
        this.log = log;
        this.slot = new SnapshotSlot(log);
        this.thread = new Thread(this::loop, "checkpoint-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a snapshot that may be skipped; false when it is, because a must-write snapshot is still waiting. */
    boolean offer(Snapshot snapshot) {
        return slot.offer(snapshot);
    }

    /** Queues a snapshot that must be written, waiting while another must-write snapshot waits. */
    void put(Snapshot snapshot) throws InterruptedException, CheckpointWriteException {
        slot.put(snapshot, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retry.checkpointDeadlineMillis()));
    }

    /** Waits until every queued snapshot is written or skipped; throws if a must-write one was not written. */
    void drain(Duration timeout) throws InterruptedException, CheckpointWriteException {
        slot.drain(timeout);
    }

    /** Throws once a must-write checkpoint has been given up, so that the attempt fails instead of succeeding. */
    void throwIfFailed() throws CheckpointWriteException {
        slot.throwIfFailed();
    }

    int written() {
        return written.get();
    }

    int skipped() {
        return slot.skipped();
    }

    /** The newest checkpoint in storage (written by this attempt or resumed from), or null. */
    Durable durable() {
        return durable;
    }

    Progress progress() {
        Durable d = durable;
        return d == null ? new Progress(slot.skipped(), null, null) : new Progress(slot.skipped(), d.step(),
                Math.max(0, System.currentTimeMillis() - d.writtenAtMillis()));
    }

    private void loop() {
        try {
            while (!closed) {
                SnapshotSlot.Job job = slot.take();
                try {
                    writeWithRetries(job);
                } finally {
                    slot.finished();
                }
            }
        } catch (InterruptedException e) {
            // close(): the attempt is over
        }
    }

    private void writeWithRetries(SnapshotSlot.Job job) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                upload.write(job.snapshot());
                written.incrementAndGet();
                durable = new Durable(job.step(), System.currentTimeMillis());
                if (failures > 1) {
                    log.println("savepoint: checkpoint at step " + job.step() + " written after " + (failures - 1)
                            + " failed tries");
                }
                return;
            } catch (IOException | RuntimeException | InterruptedException e) {
                if (closed) {
                    throw new InterruptedException("writer closed");
                }
                Thread.interrupted(); // an interrupt that is not close() is one more failed try, not the end
                if (!retryAfter(job, failures, e.getMessage() == null ? e.toString() : e.getMessage())) {
                    return;
                }
            }
        }
    }

    /** Logs a failed try and waits out its backoff; false when the job is given up instead. */
    private boolean retryAfter(SnapshotSlot.Job job, int failures, String error) throws InterruptedException {
        long pause = TimeUnit.MILLISECONDS.toNanos(retry.backoffMillis(failures));
        if (job.mustWrite()) {
            long left = job.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                String why = "the checkpoint at step " + job.step() + " must be written but still failed after "
                        + retry.checkpointDeadlineMillis() + " ms (" + failures + " tries; "
                        + "SAVEPOINT_CHECKPOINT_DEADLINE_MS); last error: " + error
                        + ". Check that the object store is reachable";
                log.println("savepoint: " + why);
                slot.giveUp(why);
                return false;
            }
            pause = Math.min(pause, left);
        }
        log.println("savepoint: checkpoint at step " + job.step() + " not written (try " + failures + "): " + error
                + "; next try in " + TimeUnit.NANOSECONDS.toMillis(pause) + " ms"
                + (job.mustWrite() ? "" : " unless a newer checkpoint replaces it"));
        return !slot.supersededDuringPause(job, pause, error);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
