package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.savepoint.contracts.spec.OptimizerSpec;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SGD with momentum and L2 weight decay through DJL's fused native update, with the momentum buffers owned here
 * and keyed by parameter name. As in DJL, the buffer accumulates {@code lr * grad}: {@code v = m v + lr g; w -= v}.
 */
public final class SgdMomentum implements StepOptimizer {

    static final String MOMENTUM = "momentum_buffer";
    private static final float NO_CLIP = -1f;

    private final OptimizerSpec spec;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new TreeMap<>();

    /** @param manager owns the momentum buffers for the life of the session */
    public SgdMomentum(OptimizerSpec spec, NDManager manager) {
        this.spec = spec;
        this.manager = manager;
    }

    @Override
    public String type() {
        return "sgd";
    }

    @Override
    public void update(String name, NDArray weight, NDArray grad, float lr) {
        NDArray buffer = buffers.computeIfAbsent(name, n -> manager.zeros(weight.getShape(), weight.getDataType()));
        weight.getNDArrayInternal().sgdUpdate(
                new NDList(weight, grad, buffer), new NDList(weight),
                lr, spec.weightDecay().floatValue(), 1f, NO_CLIP, spec.momentum().floatValue(), false);
    }

    @Override
    public Map<String, HostTensor> exportState() {
        Map<String, HostTensor> state = new TreeMap<>();
        buffers.forEach((name, buffer) -> state.put(name + "." + MOMENTUM, HostCopies.toHost(buffer)));
        return state;
    }

    @Override
    public void importState(Map<String, HostTensor> state) {
        close();
        StateSlots.group(state, Set.of(MOMENTUM), type())
                .forEach((name, found) -> buffers.put(name, HostCopies.toEngine(found.get(MOMENTUM), manager)));
    }

    @Override
    public void close() {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
    }
}
