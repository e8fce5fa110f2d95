package dev.savepoint.trainer.engine;

/** A labelled data set held in memory: row-major features and integer class labels, plus the seed of its order. */
public interface TrainingData {

    int sampleCount();

    int featureCount();

    int classCount();

    /** Seeds the per-epoch shuffle; together with the step it fixes every batch. */
    long orderSeed();

    /** Row-major, {@code sampleCount() * featureCount()} values; callers must not modify it. */
    float[] features();

    /** One label in {@code [0, classCount())} per sample; callers must not modify it. */
    int[] labels();
}
