package dev.savepoint.trainer.engine;

import java.util.Random;

/**
 * A seeded, learnable classification set: Gaussian features labelled by a random linear teacher (argmax of
 * {@code x W + b}), so a model can drive the loss down and two runs with the same seed see the same data.
 */
public final class SyntheticData implements TabularData {

    private final int samples;
    private final int inputs;
    private final int classes;
    private final long seed;
    private final float[] features;
    private final int[] labels;

    public SyntheticData(int samples, int inputs, int classes, long seed) {
        if (samples < 1 || inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("synthetic data needs samples >= 1, inputs >= 1 and classes >= 2, got samples="
                    + samples + ", inputs=" + inputs + ", classes=" + classes);
        }
        this.samples = samples;
        this.inputs = inputs;
        this.classes = classes;
        this.seed = seed;
        // java.util.Random's Gaussian sequence is specified by the JDK, so the data set is the same on every JVM.
        Random random = new Random(seed);
        float[] teacher = gaussians(random, inputs * classes + classes);
        this.features = gaussians(random, samples * inputs);
        this.labels = new int[samples];
        for (int s = 0; s < samples; s++) {
            labels[s] = teacherLabel(teacher, s);
        }
    }

    private int teacherLabel(float[] teacher, int sample) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double score = teacher[inputs * classes + c];
            for (int i = 0; i < inputs; i++) {
                score += features[sample * inputs + i] * teacher[i * classes + c];
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static float[] gaussians(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Override
    public int sampleCount() {
        return samples;
    }

    @Override
    public int featureCount() {
        return inputs;
    }

    @Override
    public int classCount() {
        return classes;
    }

    @Override
    public long orderSeed() {
        return seed;
    }

    @Override
    public float[] features() {
        return features;
    }

    @Override
    public int[] labels() {
        return labels;
    }
}
