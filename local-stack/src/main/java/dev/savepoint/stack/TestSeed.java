package dev.savepoint.stack;

import java.util.Random;

/**
 * Random kill points that can be replayed: the seed comes from {@code -Dsavepoint.test.seed} or the clock and is
 * printed, and tests put it in their failure messages.
 */
public final class TestSeed {

    public final long seed;
    public final Random random;

    private TestSeed(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    public static TestSeed of(String test) {
        long seed = Long.getLong("savepoint.test.seed", System.nanoTime());
        System.out.println(test + ": random kill points from seed " + seed + " (replay: -Dsavepoint.test.seed=" + seed
                + ")");
        return new TestSeed(seed);
    }

    /** A whole number in [from, to). */
    public long between(long from, long to) {
        return from + (long) (random.nextDouble() * (to - from));
    }

    @Override
    public String toString() {
        return "seed " + seed + " (replay: -Dsavepoint.test.seed=" + seed + ")";
    }
}
