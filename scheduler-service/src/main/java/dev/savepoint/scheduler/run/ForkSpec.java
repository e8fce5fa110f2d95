package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.spec.OptimizerSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.ScheduleSpec;
import dev.savepoint.contracts.spec.SpecValidator;

/**
 * The spec of a fork: its parent's, with the overrides a user gave (maxSteps, the learning rate, the schedule); without
 * overrides exactly the parent's, so that the fork continues as the parent would have. Refusals name the request's
 * field.
 */
public final class ForkSpec {

    private ForkSpec() {
    }

    /** What a user may change in a fork; null keeps the parent's. */
    public record Overrides(Integer maxSteps, Double learningRate, ScheduleSpec schedule) {
    }

    /**
     * @param checkpointStep the step of the checkpoint forked from: maxSteps must lie beyond it
     * @throws IllegalArgumentException naming the field that cannot be applied
     */
    public static RunSpec of(RunSpec parent, Overrides o, long checkpointStep) {
        if (parent.isCommand() && (o.learningRate() != null || o.schedule() != null)) {
            throw new IllegalArgumentException("field '" + (o.learningRate() != null ? "learningRate" : "schedule")
                    + "' cannot be overridden: the run trains with its own command (trainer.type command), which "
                    + "has no optimizer or schedule of Savepoint's");
        }
        if (o.learningRate() != null && !(o.learningRate() > 0 && Double.isFinite(o.learningRate()))) {
            throw new IllegalArgumentException("field 'learningRate' must be a positive finite number, got "
                    + o.learningRate());
        }
        int maxSteps = o.maxSteps() == null ? parent.maxSteps() : o.maxSteps();
        if (maxSteps <= checkpointStep) {
            throw new IllegalArgumentException("field 'maxSteps' must be above the checkpoint's step " + checkpointStep
                    + " (the fork resumes there), got " + maxSteps);
        }
        OptimizerSpec opt = parent.optimizer();
        OptimizerSpec optimizer = o.learningRate() == null ? opt : new OptimizerSpec(opt.type(), o.learningRate(),
                opt.weightDecay(), opt.beta1(), opt.beta2(), opt.epsilon(), opt.momentum());
        RunSpec fork = new RunSpec(parent.name(), parent.seed(), maxSteps, parent.batchSize(), parent.model(),
                parent.data(), optimizer, o.schedule() == null ? parent.schedule() : o.schedule(), parent.checkpoint(),
                parent.retention(), parent.restart(), parent.runtime(), parent.determinism(), parent.trainer());
        SpecValidator.requireValid(fork); // names schedule.* (the request's field) or maxSteps
        return fork;
    }
}
