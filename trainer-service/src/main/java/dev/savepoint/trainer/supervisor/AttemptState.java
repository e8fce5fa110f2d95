package dev.savepoint.trainer.supervisor;

/** Where an attempt is in this worker: waiting for a slot, running as a child process, or ended. */
public enum AttemptState {
    /** Accepted, waiting for a free slot. */
    QUEUED,
    /** Its child process is alive. */
    RUNNING,
    /** The child exited 0. */
    SUCCEEDED,
    /** The child exited non-zero, or could not be started. */
    FAILED,
    /** Stopped by a CancelAttempt (or a newer attempt of its run) before it finished. */
    CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
