package dev.savepoint.trainer.runner;

import dev.savepoint.trainer.engine.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place a snapshot waits for the checkpoint writer, and the count of work not yet done (the waiting snapshot
 * plus the one being written), both under one lock: {@link #drain} can never see the writer idle while a snapshot is
 * between the slot and storage. A newer snapshot replaces a waiting one that may be skipped; a must-write one is never
 * replaced. Every skip is logged with its step and reason, and counted.
 */
final class SnapshotSlot {

    /** A snapshot handed to the writer; {@code mustWrite} ones are retried until {@code deadlineNanos}. */
    record Job(Snapshot snapshot, boolean mustWrite, long deadlineNanos) {
        long step() {
            return snapshot.state().globalStep();
        }
    }

    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger skipped = new AtomicInteger();
    private Job waiting; // guarded by lock
    private int pending; // guarded by lock
    private volatile String failure;

    SnapshotSlot(PrintStream log) {
        this.log = log;
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

    /** Queues a must-write snapshot, waiting while another one waits; throws once one was given up. */
    void put(Snapshot snapshot, long deadlineNanos) throws InterruptedException, CheckpointWriteException {
        lock.lock();
        try {
            while (waiting != null && waiting.mustWrite() && failure == null) {
                changed.await();
            }
            throwIfFailed();
            enqueue(new Job(snapshot, true, deadlineNanos));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is waiting or being written; throws if a must-write snapshot was given up. */
    void drain(Duration timeout) throws InterruptedException, CheckpointWriteException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (pending > 0 && failure == null) {
                if (nanos <= 0) {
                    throw new CheckpointWriteException("checkpoints were still being written after "
                            + timeout.toMillis() + " ms");
                }
                nanos = changed.awaitNanos(nanos);
            }
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    void throwIfFailed() throws CheckpointWriteException {
        String why = failure;
        if (why != null) {
            throw new CheckpointWriteException(why);
        }
    }

    int skipped() {
        return skipped.get();
    }

    /** The writer's side: the next snapshot, which counts as pending until {@link #finished}. */
    Job take() throws InterruptedException {
        lock.lock();
        try {
            while (waiting == null) {
                changed.await();
            }
            Job job = waiting;
            waiting = null;
            changed.signalAll();
            return job;
        } finally {
            lock.unlock();
        }
    }

    void finished() {
        lock.lock();
        try {
            pending--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A must-write snapshot could not be written: every later put and drain throws {@code why}. */
    void giveUp(String why) {
        lock.lock();
        try {
            failure = why;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a failed try of {@code job}: waits {@code pauseNanos}, cut short when a newer snapshot arrives for a job
     * that may be skipped. True when {@code job} is then skipped in favour of the newer one (logged with
     * {@code error}); false when it should be tried again.
     */
    boolean supersededDuringPause(Job job, long pauseNanos, String error) throws InterruptedException {
        lock.lock();
        try {
            long nanos = pauseNanos;
            while (nanos > 0 && (job.mustWrite() || waiting == null)) {
                nanos = changed.awaitNanos(nanos);
            }
            if (job.mustWrite() || waiting == null) {
                return false;
            }
            skip(job, "its upload failed (" + error + ") and the newer checkpoint at step " + waiting.step()
                    + " is written instead");
            return true;
        } finally {
            lock.unlock();
        }
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
}
