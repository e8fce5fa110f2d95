package dev.savepoint.stack;

import java.util.Random;

/**
 * The seed of a test's random choices (kill points, orders), printed so that a failure can be replayed with
 * {@code -Dsavepoint.test.seed=N}; a fresh seed otherwise.
 */
public final class TestSeed {

    public static final String PROPERTY = "savepoint.test.seed";

    private TestSeed() {
    }

    /** A random source for {@code test}, seeded from {@value #PROPERTY} when set; the seed is printed either way. */
    public static Random random(String test) {
        String given = System.getProperty(PROPERTY);
        long seed = given != null ? Long.parseLong(given) : new Random().nextLong();
        System.out.println("[test seed] " + test + ": " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")");
        return new Random(seed);
    }
}
