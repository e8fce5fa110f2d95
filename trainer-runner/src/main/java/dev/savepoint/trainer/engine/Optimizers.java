package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDManager;
import dev.savepoint.contracts.spec.OptimizerSpec;

/** Creates the optimizer an {@link OptimizerSpec} names. */
public final class Optimizers {

    private Optimizers() {
    }

    public static StepOptimizer create(OptimizerSpec spec, NDManager manager) {
        switch (spec.type()) {
            case "adamw":
                return new AdamW(spec, manager);
            case "sgd":
                return new SgdMomentum(spec, manager);
            default:
                throw new IllegalArgumentException("unknown optimizer.type '" + spec.type() + "'; expected one of " + OptimizerSpec.TYPES);
        }
    }
}
