package dev.savepoint.trainer.runner;

/** A checkpoint file whose size or SHA-256 differs from its manifest; the checkpoint must never be used. */
public final class CheckpointCorruptException extends Exception {

    private final String checkpointId;
    private final String fileName;

    public CheckpointCorruptException(String checkpointId, String fileName, String message) {
        super(message);
        this.checkpointId = checkpointId;
        this.fileName = fileName;
    }

    public String checkpointId() {
        return checkpointId;
    }

    public String fileName() {
        return fileName;
    }
}
