package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to train and how to keep it alive: the JSON document a user submits and every attempt receives.
 *
 * <p>Sections that may be left out get defaults; {@link SpecValidator} names the first wrong field.
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
        RuntimeSpec runtime) {

    public RunSpec {
        schedule = schedule == null ? ScheduleSpec.constant() : schedule;
        checkpoint = checkpoint == null ? CheckpointSpec.defaults() : checkpoint;
        retention = retention == null ? RetentionSpec.defaults() : retention;
        restart = restart == null ? RestartSpec.defaults() : restart;
        runtime = runtime == null ? RuntimeSpec.defaults() : runtime;
    }
}
