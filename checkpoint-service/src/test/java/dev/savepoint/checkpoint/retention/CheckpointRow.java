package dev.savepoint.checkpoint.retention;

import dev.savepoint.contracts.spec.RetentionSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds checkpoint rows and specs for retention tests: committed, attempt 1, 10 bytes, created at second = step. */
final class CheckpointRow {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final String id;
    private final long step;
    private int attempt = 1;
    private Instant createdAt;
    private CheckpointState state = CheckpointState.COMMITTED;
    private long bytes = 10;
    private final Map<String, Double> metrics = new HashMap<>();
    private boolean pinned;
    private boolean forkBase;
    private boolean leased;

    private CheckpointRow(String id, long step) {
        this.id = id;
        this.step = step;
        this.createdAt = T0.plusSeconds(step);
    }

    static CheckpointRow row(String id, long step) {
        return new CheckpointRow(id, step);
    }

    /** Rows "s100", "s200", ... for the given steps, with no metrics. */
    static List<CheckpointView> steps(long... steps) {
        return Arrays.stream(steps).mapToObj(step -> row("s" + step, step).build()).toList();
    }

    static RetentionSpec spec(int keepLast, int keepBest, int keepEverySteps, Long maxTotalBytes) {
        return new RetentionSpec(keepLast, keepBest, "loss", "min", keepEverySteps, maxTotalBytes);
    }

    CheckpointRow attempt(int value) {
        attempt = value;
        return this;
    }

    CheckpointRow createdAtSecond(long second) {
        createdAt = T0.plusSeconds(second);
        return this;
    }

    CheckpointRow state(CheckpointState value) {
        state = value;
        return this;
    }

    CheckpointRow bytes(long value) {
        bytes = value;
        return this;
    }

    CheckpointRow metric(String name, Double value) {
        metrics.put(name, value);
        return this;
    }

    CheckpointRow loss(double value) {
        return metric("loss", value);
    }

    CheckpointRow pinned() {
        pinned = true;
        return this;
    }

    CheckpointRow leased() {
        leased = true;
        return this;
    }

    CheckpointRow forkBase() {
        forkBase = true;
        return this;
    }

    CheckpointView build() {
        return new CheckpointView(id, step, attempt, createdAt, state, bytes, metrics, pinned, leased, forkBase);
    }
}
