package dev.savepoint.trainer.engine;

/** Derives independent seeds from a run seed and a counter (step, epoch), so randomness is a pure function of both. */
public final class Seeds {

    private Seeds() {
    }

    /** SplitMix64 of the pair: neighbouring steps get unrelated seeds, and the result never depends on history. */
    public static long mix(long seed, long counter) {
        long z = seed + 0x9E3779B97F4A7C15L * (counter + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
