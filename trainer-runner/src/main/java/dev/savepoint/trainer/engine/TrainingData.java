package dev.savepoint.trainer.engine;

/**
 * Examples held in memory, addressed by index: each has {@code featureCount()} input values and
 * {@code labelCount()} class labels (one for a classified row, one per position for a text window), plus the seed
 * of their order.
 */
public interface TrainingData {

    int sampleCount();

    /** Input values per example: table columns, or the tokens of a text window. */
    int featureCount();

    /** Labels lie in {@code [0, classCount())}. */
    int classCount();

    /** Seeds the per-epoch shuffle; together with the step it fixes every batch. */
    long orderSeed();

    /** Labels per example. */
    default int labelCount() {
        return 1;
    }

    /** Writes example {@code sample}'s inputs at {@code features[featureOffset..]} and labels at {@code labels[labelOffset..]}. */
    void copyExample(int sample, float[] features, int featureOffset, long[] labels, int labelOffset);
}
