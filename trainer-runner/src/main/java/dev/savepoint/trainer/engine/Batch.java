package dev.savepoint.trainer.engine;

/** The examples of one training step: row-major features, labels, and the epoch its first example belongs to. */
public record Batch(float[] features, long[] labels, int size, long epoch) {
}
