package dev.savepoint.trainer.engine;

/** A labelled table: row-major features and one integer class label per row. */
public interface TabularData extends TrainingData {

    /** Row-major, {@code sampleCount() * featureCount()} values; callers must not modify it. */
    float[] features();

    /** One label in {@code [0, classCount())} per sample; callers must not modify it. */
    int[] labels();

    @Override
    default void copyExample(int sample, float[] features, int featureOffset, long[] labels, int labelOffset) {
        System.arraycopy(features(), sample * featureCount(), features, featureOffset, featureCount());
        labels[labelOffset] = labels()[sample];
    }
}
