package dev.savepoint.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles and the number format of the results page. */
final class Numbers {

    private Numbers() {
    }

    /** The p-th percentile (nearest rank) of the samples. */
    static double percentile(double[] samples, double p) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Three significant digits, thousands separated: 0.412, 2.31, 5,310. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) >= 1) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** Milliseconds since {@code t0} (a System.nanoTime value). */
    static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
