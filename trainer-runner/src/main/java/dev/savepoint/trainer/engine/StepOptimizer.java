package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An optimizer whose whole state we own, keyed by parameter name, so it can be checkpointed and restored in
 * another JVM (DJL's built-in optimizers hide their state and key it by per-JVM parameter ids).
 */
public interface StepOptimizer {

    /** The spec name, {@code adamw} or {@code sgd}; recorded in the trainer state to catch mismatched resumes. */
    String type();

    /** Applies one update to {@code weight} in place and clears {@code grad}. */
    void update(String name, NDArray weight, NDArray grad, float lr);

    /** Copies all state to host memory: tensors named {@code <parameter>.<slot>}. */
    Map<String, HostTensor> exportState();

    /** Replaces all state with {@code state} as produced by {@link #exportState()}. */
    void importState(Map<String, HostTensor> state);

    /** Frees engine memory held for the state. */
    void close();
}
