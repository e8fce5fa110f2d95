package dev.savepoint.trainer.runner;

/** A checkpoint that had to be written (the final one, one retention keeps) was not; the attempt must not succeed. */
public final class CheckpointWriteException extends Exception {

    public CheckpointWriteException(String message) {
        super(message);
    }
}
