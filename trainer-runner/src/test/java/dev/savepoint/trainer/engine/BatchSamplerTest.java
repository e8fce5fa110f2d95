package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Batches are a pure function of (data seed, step): no iterator state to lose on a crash. */
class BatchSamplerTest {

    private final SyntheticData data = new SyntheticData(100, 3, 4, 5L);

    @Test
    void batchOfAStepDoesNotDependOnWhatCameBefore() {
        BatchSampler walked = new BatchSampler(data, 16);
        for (int step = 0; step < 20; step++) {
            walked.batch(step);
        }
        Batch afterWalk = walked.batch(20);
        Batch fresh = new BatchSampler(data, 16).batch(20);
        assertArrayEquals(fresh.features(), afterWalk.features());
        assertArrayEquals(fresh.labels(), afterWalk.labels());
        assertEquals(3, fresh.epoch());
    }

    @Test
    void everyEpochVisitsEverySampleOnceInANewOrder() {
        int[] first = BatchSampler.permutation(5L, 0, 100);
        int[] second = BatchSampler.permutation(5L, 1, 100);
        assertFalse(Arrays.equals(first, second));
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void syntheticDataIsTheSameForTheSameSeed() {
        SyntheticData again = new SyntheticData(100, 3, 4, 5L);
        assertArrayEquals(data.features(), again.features());
        assertArrayEquals(data.labels(), again.labels());
    }
}
