package dev.savepoint.contracts.spec;

/**
 * How the scheduler restarts a failed run: at most {@code maxRestarts} times, backing off exponentially from
 * {@code backoffInitialMs} by {@code backoffFactor} up to {@code backoffMaxMs}, and giving up after
 * {@code crashLoopLimit} failures in a row without a new committed checkpoint.
 */
public record RestartSpec(
        Integer maxRestarts,
        Long backoffInitialMs,
        Double backoffFactor,
        Long backoffMaxMs,
        Integer crashLoopLimit) {

    public RestartSpec {
        maxRestarts = maxRestarts == null ? 5 : maxRestarts;
        backoffInitialMs = backoffInitialMs == null ? 500L : backoffInitialMs;
        backoffFactor = backoffFactor == null ? 2.0 : backoffFactor;
        backoffMaxMs = backoffMaxMs == null ? 60_000L : backoffMaxMs;
        crashLoopLimit = crashLoopLimit == null ? 3 : crashLoopLimit;
    }

    public static RestartSpec defaults() {
        return new RestartSpec(null, null, null, null, null);
    }
}
