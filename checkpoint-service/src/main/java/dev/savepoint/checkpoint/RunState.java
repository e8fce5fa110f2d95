package dev.savepoint.checkpoint;

/** A run as checkpoint-service sees it: only checkpoints so far (UNKNOWN), or the state of its newest attempt. */
public enum RunState {
    UNKNOWN,
    RUNNING,
    FAILED,
    SUCCEEDED
}
