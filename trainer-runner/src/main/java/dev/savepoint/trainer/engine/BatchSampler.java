package dev.savepoint.trainer.engine;

import java.util.Random;

/**
 * Picks the examples of a global step: sample {@code i} of the run is position {@code i % n} of the permutation
 * of epoch {@code i / n}, and each epoch's permutation comes from (order seed, epoch). No iterator, no history:
 * {@link #batch(long)} is a pure function, so a resumed run sees exactly the batches it would have seen.
 */
public final class BatchSampler {

    private final TrainingData data;
    private final int batchSize;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    public BatchSampler(TrainingData data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (data.sampleCount() < 1) {
            throw new IllegalArgumentException("the data set has no samples");
        }
        this.data = data;
        this.batchSize = batchSize;
    }

    public Batch batch(long step) {
        int width = data.featureCount();
        int labelCount = data.labelCount();
        float[] features = new float[batchSize * width];
        long[] labels = new long[batchSize * labelCount];
        long first = step * batchSize;
        for (int row = 0; row < batchSize; row++) {
            data.copyExample(sampleAt(first + row), features, row * width, labels, row * labelCount);
        }
        return new Batch(features, labels, batchSize, first / data.sampleCount());
    }

    /** Completed passes over the data after {@code steps} steps. */
    public long epochAfter(long steps) {
        return steps * batchSize / data.sampleCount();
    }

    public int batchSize() {
        return batchSize;
    }

    private int sampleAt(long globalIndex) {
        long epoch = globalIndex / data.sampleCount();
        if (epoch != cachedEpoch) {
            cachedPermutation = permutation(data.orderSeed(), epoch, data.sampleCount());
            cachedEpoch = epoch;
        }
        return cachedPermutation[(int) (globalIndex % data.sampleCount())];
    }

    /** Fisher-Yates with java.util.Random, whose sequence the JDK specifies exactly, so the order never drifts. */
    public static int[] permutation(long seed, long epoch, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(Seeds.mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
