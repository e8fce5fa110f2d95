package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.savepoint.contracts.spec.OptimizerSpec;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adam with decoupled weight decay and bias correction, running DJL's fused native update on moments we own,
 * keyed by parameter name with a step count per parameter (as PyTorch's AdamW keeps it).
 */
public final class AdamW implements StepOptimizer {

    static final String MEAN = "exp_avg";
    static final String VARIANCE = "exp_avg_sq";
    static final String STEP = "step";
    // No gradient clipping: the native kernel clips only when this is >= 0.
    private static final float NO_CLIP = -1f;

    private final OptimizerSpec spec;
    private final NDManager manager;
    private final Map<String, Slots> slots = new TreeMap<>();

    private static final class Slots {
        final NDArray mean;
        final NDArray variance;
        long step;

        Slots(NDArray mean, NDArray variance, long step) {
            this.mean = mean;
            this.variance = variance;
            this.step = step;
        }
    }

    /** @param manager owns the moment arrays for the life of the session */
    public AdamW(OptimizerSpec spec, NDManager manager) {
        this.spec = spec;
        this.manager = manager;
    }

    @Override
    public String type() {
        return "adamw";
    }

    @Override
    public void update(String name, NDArray weight, NDArray grad, float lr) {
        Slots state = slots.computeIfAbsent(name, n -> new Slots(zerosLike(weight), zerosLike(weight), 0));
        state.step++;
        // Bias correction in double, then one rounding to float: the same bits on every JVM.
        // StrictMath, not Math: an intrinsic pow may round differently once the JIT compiles this, breaking resume.
        double correction1 = 1 - StrictMath.pow(spec.beta1(), state.step);
        double correction2 = 1 - StrictMath.pow(spec.beta2(), state.step);
        float correctedLr = (float) (lr * Math.sqrt(correction2) / correction1);
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, state.mean, state.variance), new NDList(weight),
                lr, correctedLr, spec.weightDecay().floatValue(), 1f, NO_CLIP,
                spec.beta1().floatValue(), spec.beta2().floatValue(), spec.epsilon().floatValue(), false, true);
    }

    @Override
    public Map<String, HostTensor> exportState() {
        Map<String, HostTensor> state = new TreeMap<>();
        slots.forEach((name, s) -> {
            state.put(name + "." + MEAN, HostCopies.toHost(s.mean));
            state.put(name + "." + VARIANCE, HostCopies.toHost(s.variance));
            state.put(name + "." + STEP, HostTensor.ofLong(s.step));
        });
        return state;
    }

    @Override
    public void importState(Map<String, HostTensor> state) {
        close();
        StateSlots.group(state, Set.of(MEAN, VARIANCE, STEP), type()).forEach((name, found) -> slots.put(name, new Slots(
                HostCopies.toEngine(found.get(MEAN), manager),
                HostCopies.toEngine(found.get(VARIANCE), manager),
                found.get(STEP).toLong())));
    }

    @Override
    public void close() {
        slots.values().forEach(s -> {
            s.mean.close();
            s.variance.close();
        });
        slots.clear();
    }

    private NDArray zerosLike(NDArray weight) {
        return manager.zeros(weight.getShape(), weight.getDataType());
    }
}
