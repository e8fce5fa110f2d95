package dev.savepoint.checkpoint.retention;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * One checkpoint as retention sees it: position in the run, size, metrics and what holds it (a pin, a restore's lease,
 * a run forked from it).
 */
public record CheckpointView(
        String id,
        long step,
        int attempt,
        Instant createdAt,
        CheckpointState state,
        long totalBytes,
        Map<String, Double> metrics,
        boolean pinned,
        boolean leased,
        boolean forkBase) {

    /**
     * Oldest first: by step, then attempt, then creation time, then id. Step leads because creation
     * time lies when a resumed attempt writes a lower step after a higher one; id only makes it total.
     */
    public static final Comparator<CheckpointView> OLDEST_FIRST = Comparator
            .comparingLong(CheckpointView::step)
            .thenComparingInt(CheckpointView::attempt)
            .thenComparing(CheckpointView::createdAt)
            .thenComparing(CheckpointView::id);

    public CheckpointView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        if (totalBytes < 0) {
            throw new IllegalArgumentException("checkpoint " + id + " has totalBytes " + totalBytes + "; must be >= 0");
        }
        // A metric stored as null is the same as a missing one; Map.copyOf would reject it.
        metrics = metrics == null ? Map.of() : metrics.entrySet().stream()
                .filter(entry -> entry.getKey() != null && entry.getValue() != null)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** A checkpoint no run was forked from. */
    public CheckpointView(String id, long step, int attempt, Instant createdAt, CheckpointState state, long totalBytes,
            Map<String, Double> metrics, boolean pinned, boolean leased) {
        this(id, step, attempt, createdAt, state, totalBytes, metrics, pinned, leased, false);
    }

    public boolean isCommitted() {
        return state == CheckpointState.COMMITTED;
    }

    /** The metric's value if present and finite; NaN and infinities never rank a checkpoint as best. */
    public OptionalDouble finiteMetric(String name) {
        Double value = metrics.get(name);
        return value != null && Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
