package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.determinism.DeterminismMode;

/**
 * What to train and how to keep it alive: the JSON document a user submits and every attempt receives.
 *
 * <p>Sections that may be left out get defaults; {@link SpecValidator} names the first wrong field.
 * {@code determinism} is {@code strict} (refuse a resume that cannot be bit-exact) or {@code best-effort}.
 */
public record RunSpec(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Long seed,
        @JsonProperty(required = true) Integer maxSteps,
        @JsonProperty(required = true) Integer batchSize,
        @JsonProperty(required = true) ModelSpec model,
        @JsonProperty(required = true) DataSpec data,
        @JsonProperty(required = true) OptimizerSpec optimizer,
        ScheduleSpec schedule,
        CheckpointSpec checkpoint,
        RetentionSpec retention,
        RestartSpec restart,
        RuntimeSpec runtime,
        String determinism) {

    @JsonCreator
    public RunSpec {
        schedule = schedule == null ? ScheduleSpec.constant() : schedule;
        checkpoint = checkpoint == null ? CheckpointSpec.defaults() : checkpoint;
        retention = retention == null ? RetentionSpec.defaults() : retention;
        restart = restart == null ? RestartSpec.defaults() : restart;
        runtime = runtime == null ? RuntimeSpec.defaults() : runtime;
        determinism = determinism == null ? DeterminismMode.BEST_EFFORT : determinism;
    }

    /** A spec with the default determinism ({@code best-effort}). */
    public RunSpec(String name, Long seed, Integer maxSteps, Integer batchSize, ModelSpec model, DataSpec data,
            OptimizerSpec optimizer, ScheduleSpec schedule, CheckpointSpec checkpoint, RetentionSpec retention,
            RestartSpec restart, RuntimeSpec runtime) {
        this(name, seed, maxSteps, batchSize, model, data, optimizer, schedule, checkpoint, retention, restart, runtime,
                null);
    }
}
