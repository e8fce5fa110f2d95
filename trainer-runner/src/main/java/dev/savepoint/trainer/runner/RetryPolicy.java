package dev.savepoint.trainer.runner;

import java.util.Map;

/**
 * How long an attempt waits for S3 and checkpoint-service before it gives up on them, and how it backs off between
 * tries (doubling from {@code initialBackoffMillis} up to {@code maxBackoffMillis}).
 *
 * @param s3TimeoutMillis connect, read and write timeout of one S3 request: a stopped server fails it, not hangs it
 * @param catalogRetryMillis how long a resume retries an unreachable checkpoint-service before it reads storage
 * @param checkpointDeadlineMillis how long a checkpoint that must be written (the final one, one retention keeps)
 *        may keep failing before the attempt fails
 * @param initialBackoffMillis the pause after the first failed try
 * @param maxBackoffMillis the longest pause between two tries
 */
public record RetryPolicy(long s3TimeoutMillis, long catalogRetryMillis, long checkpointDeadlineMillis,
        long initialBackoffMillis, long maxBackoffMillis) {

    static RetryPolicy from(Map<String, String> env) {
        return new RetryPolicy(
                millis(env, "SAVEPOINT_S3_TIMEOUT_MS", 60_000),
                millis(env, "SAVEPOINT_CATALOG_RETRY_MS", 60_000),
                millis(env, "SAVEPOINT_CHECKPOINT_DEADLINE_MS", 600_000),
                millis(env, "SAVEPOINT_RETRY_INITIAL_MS", 200),
                millis(env, "SAVEPOINT_RETRY_MAX_MS", 5_000));
    }

    Map<String, String> toEnvironment() {
        return Map.of("SAVEPOINT_S3_TIMEOUT_MS", Long.toString(s3TimeoutMillis),
                "SAVEPOINT_CATALOG_RETRY_MS", Long.toString(catalogRetryMillis),
                "SAVEPOINT_CHECKPOINT_DEADLINE_MS", Long.toString(checkpointDeadlineMillis),
                "SAVEPOINT_RETRY_INITIAL_MS", Long.toString(initialBackoffMillis),
                "SAVEPOINT_RETRY_MAX_MS", Long.toString(maxBackoffMillis));
    }

    /** The pause after {@code failures} failed tries in a row (1 or more). */
    long backoffMillis(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        return Math.min(maxBackoffMillis, initialBackoffMillis << doublings);
    }

    static long millis(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a whole number of milliseconds >= 0, got '" + value
                + "'; unset it to use " + fallback);
    }
}
