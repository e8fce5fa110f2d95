package dev.savepoint.contracts.spec;

/** When an attempt checkpoints: every N steps, every N seconds, or both (whichever comes first). */
public record CheckpointSpec(Integer everySteps, Integer everySeconds) {

    public static CheckpointSpec defaults() {
        return new CheckpointSpec(100, null);
    }
}
