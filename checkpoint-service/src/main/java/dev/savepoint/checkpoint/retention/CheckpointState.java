package dev.savepoint.checkpoint.retention;

/** Lifecycle of a checkpoint row; only {@link #COMMITTED} ones take part in retention. */
public enum CheckpointState {
    PENDING,
    COMMITTED,
    REJECTED,
    CORRUPT,
    DELETING,
    PARTIALLY_DELETED,
    DELETED
}
