package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.determinism.DeterminismMode;

/**
 * What to train and how to keep it alive: the JSON document a user submits and every attempt receives.
 *
 * <p>Sections that may be left out get defaults; {@link SpecValidator} names the first wrong field.
 * {@code determinism} is {@code strict} (refuse a resume that cannot be bit-exact) or {@code best-effort}.
 * {@code trainer} says who trains ({@link TrainerSpec}): the built-in trainer needs {@code seed}, {@code batchSize},
 * {@code model}, {@code data} and {@code optimizer}; a command run must not have them (nor {@code schedule} or
 * {@code checkpoint}: its trainer decides when it saves).
 */
public record RunSpec(
        @JsonProperty(required = true) String name,
        Long seed,
        @JsonProperty(required = true) Integer maxSteps,
        Integer batchSize,
        ModelSpec model,
        DataSpec data,
        OptimizerSpec optimizer,
        ScheduleSpec schedule,
        CheckpointSpec checkpoint,
        RetentionSpec retention,
        RestartSpec restart,
        RuntimeSpec runtime,
        String determinism,
        TrainerSpec trainer) {

    @JsonCreator
    public RunSpec {
        trainer = trainer == null ? TrainerSpec.builtIn() : trainer;
        // a command run has no built-in sections; left null so that SpecValidator can refuse one that was given
        schedule = schedule == null && !trainer.isCommand() ? ScheduleSpec.constant() : schedule;
        checkpoint = checkpoint == null && !trainer.isCommand() ? CheckpointSpec.defaults() : checkpoint;
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
                null, null);
    }

    /** A spec for the built-in trainer. */
    public RunSpec(String name, Long seed, Integer maxSteps, Integer batchSize, ModelSpec model, DataSpec data,
            OptimizerSpec optimizer, ScheduleSpec schedule, CheckpointSpec checkpoint, RetentionSpec retention,
            RestartSpec restart, RuntimeSpec runtime, String determinism) {
        this(name, seed, maxSteps, batchSize, model, data, optimizer, schedule, checkpoint, retention, restart, runtime,
                determinism, null);
    }

    /** A run of a training command ({@code trainer.type: command}): no built-in trainer sections. */
    public static RunSpec command(String name, int maxSteps, TrainerSpec trainer, RetentionSpec retention,
            RestartSpec restart, RuntimeSpec runtime) {
        return new RunSpec(name, null, maxSteps, null, null, null, null, null, null, retention, restart, runtime, null,
                trainer);
    }

    /** True when Savepoint runs the user's command instead of its built-in trainer. */
    @JsonIgnore
    public boolean isCommand() {
        return trainer.isCommand();
    }
}
