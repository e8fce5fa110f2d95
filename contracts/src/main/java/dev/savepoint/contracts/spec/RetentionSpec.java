package dev.savepoint.contracts.spec;

/**
 * Which checkpoints survive garbage collection: the latest {@code keepLast}, the best {@code keepBest} by
 * {@code metric} ({@code mode} min or max), one every {@code keepEverySteps} steps, all within
 * {@code maxTotalBytes}. The newest committed, pinned and leased checkpoints are always kept.
 */
public record RetentionSpec(
        Integer keepLast,
        Integer keepBest,
        String metric,
        String mode,
        Integer keepEverySteps,
        Long maxTotalBytes) {

    public RetentionSpec {
        keepLast = keepLast == null ? 3 : keepLast;
        keepBest = keepBest == null ? 0 : keepBest;
        metric = metric == null ? "loss" : metric;
        mode = mode == null ? "min" : mode;
        keepEverySteps = keepEverySteps == null ? 0 : keepEverySteps;
    }

    public static RetentionSpec defaults() {
        return new RetentionSpec(null, null, null, null, null, null);
    }
}
