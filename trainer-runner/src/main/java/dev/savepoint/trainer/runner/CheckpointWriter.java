package dev.savepoint.trainer.runner;

import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The background checkpoint writer. At most one snapshot waits; a newer one replaces it, and the replaced one is
 * skipped, logged and counted, so training never blocks on storage. Snapshots put as must-write (the final one, one
 * retention keeps) are never replaced or skipped: they are retried until written or past the deadline. A failed
 * upload of any other is retried with backoff until a newer snapshot arrives. {@link #drain} counts pending work
 * under one lock, so it never sees the writer idle while a snapshot is between the queue and storage.
 */
final class CheckpointWriter implements AutoCloseable {

    /** What heartbeats report: checkpoints skipped so far, and the newest durable one (null before any). */
    record Progress(int skipped, Long durableStep, Long durableAgeMillis) {
    }

    /** A checkpoint known to be in storage: its step and when it was written (epoch millis). */
    record Durable(long step, long writtenAtMillis) {
    }

    private record Job(Snapshot snapshot, boolean mustWrite, long deadlineNanos) {
        long step() {
            return snapshot.state().globalStep();
        }
    }

    private final CheckpointUpload upload;
    private final RetryPolicy retry;
    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Job waiting; // guarded by lock
    private int pending; // guarded by lock: the waiting snapshot plus the one being written
    private volatile String failure; // why a must-write checkpoint was not written
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private volatile Durable durable;
    private volatile boolean closed;
    private final Thread thread;

    CheckpointWriter(CheckpointUpload upload, RetryPolicy retry, Durable resumedFrom, PrintStream log) {
        this.upload = upload;
        this.retry = retry;
        this.durable = resumedFrom;
        this.log = log;
        this.thread = new Thread(this::loop, "checkpoint-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a snapshot that may be skipped; false when it is, because a must-write snapshot is still waiting. */
    boolean offer(Snapshot snapshot) {
        lock.lock();
        try {
            Job job = new Job(snapshot, false, Long.MAX_VALUE);
            if (waiting != null && waiting.mustWrite()) {
                skip(job, "the checkpoint at step " + waiting.step() + ", which must be written, is still waiting");
                return false;
            }
            enqueue(job);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a snapshot that must be written, waiting while another must-write snapshot waits. */
    void put(Snapshot snapshot) throws InterruptedException, CheckpointWriteException {
        lock.lock();
        try {
            while (waiting != null && waiting.mustWrite() && failure == null) {
                changed.await();
            }
            throwIfFailed();
            enqueue(new Job(snapshot, true,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retry.checkpointDeadlineMillis())));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued snapshot is written or skipped; throws if a must-write one was not written. */
    void drain(Duration timeout) throws InterruptedException, CheckpointWriteException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (pending > 0 && failure == null) {
                if (nanos <= 0) {
                    throw new CheckpointWriteException("checkpoints were still being written after " + timeout
                            .toSeconds() + " s; newest durable: " + describe(durable));
                }
                nanos = changed.awaitNanos(nanos);
            }
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    /** Throws once a must-write checkpoint has been given up, so that the attempt fails instead of succeeding. */
    void throwIfFailed() throws CheckpointWriteException {
        String why = failure;
        if (why != null) {
            throw new CheckpointWriteException(why);
        }
    }

    int written() {
        return written.get();
    }

    int skipped() {
        return skipped.get();
    }

    /** The newest checkpoint in storage (written by this attempt or resumed from), or null. */
    Durable durable() {
        return durable;
    }

    Progress progress() {
        Durable d = durable;
        return d == null ? new Progress(skipped.get(), null, null)
                : new Progress(skipped.get(), d.step(), Math.max(0, System.currentTimeMillis() - d.writtenAtMillis()));
    }

    private void enqueue(Job job) {
        if (waiting == null) {
            pending++;
        } else {
            skip(waiting, "replaced by the newer checkpoint at step " + job.step() + " while the writer was busy");
        }
        waiting = job;
        changed.signalAll();
    }

    private void skip(Job job, String why) {
        log.println("savepoint: checkpoint at step " + job.step() + " skipped: " + why + " ("
                + skipped.incrementAndGet() + " skipped so far)");
    }

    private void loop() {
        try {
            while (!closed) {
                Job job = take();
                try {
                    writeWithRetries(job);
                } finally {
                    finished();
                }
            }
        } catch (InterruptedException e) {
            // close(): the attempt is over
        }
    }

    private Job take() throws InterruptedException {
        lock.lock();
        try {
            while (waiting == null) {
                changed.await();
            }
            Job job = waiting;
            waiting = null; // still counted in pending until finished()
            changed.signalAll();
            return job;
        } finally {
            lock.unlock();
        }
    }

    private void finished() {
        lock.lock();
        try {
            pending--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void writeWithRetries(Job job) throws InterruptedException {
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
                if (!awaitRetry(job, failures, e)) {
                    return;
                }
            }
        }
    }

    /** Logs a failed try and waits out its backoff; false when the job is given up instead. */
    private boolean awaitRetry(Job job, int failures, Exception e) throws InterruptedException {
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        lock.lock();
        try {
            long pause = TimeUnit.MILLISECONDS.toNanos(retry.backoffMillis(failures));
            if (job.mustWrite()) {
                long left = job.deadlineNanos() - System.nanoTime();
                if (left <= 0) {
                    failure = "the checkpoint at step " + job.step() + " must be written but still failed after "
                            + retry.checkpointDeadlineMillis() + " ms (" + failures + " tries; "
                            + "SAVEPOINT_CHECKPOINT_DEADLINE_MS); last error: " + error
                            + ". Check that the object store is reachable";
                    log.println("savepoint: " + failure);
                    changed.signalAll();
                    return false;
                }
                pause = Math.min(pause, left);
            }
            log.println("savepoint: checkpoint at step " + job.step() + " not written (try " + failures + "): "
                    + error + "; retrying in " + TimeUnit.NANOSECONDS.toMillis(pause) + " ms");
            while (pause > 0 && (job.mustWrite() || waiting == null)) {
                pause = changed.awaitNanos(pause); // a newer snapshot ends the wait of one that may be skipped
            }
            if (!job.mustWrite() && waiting != null) {
                skip(job, "its upload failed (" + error + ") and the newer checkpoint at step " + waiting.step()
                        + " is written instead");
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static String describe(Durable d) {
        return d == null ? "none" : "step " + d.step();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
