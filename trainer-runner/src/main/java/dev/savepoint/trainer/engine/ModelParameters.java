package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** An initialized block's parameters by their block-path name, in name order, with host copies in and out. */
final class ModelParameters {

    private final Map<String, Parameter> byName = new TreeMap<>();

    ModelParameters(Block block) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (byName.put(pair.getKey(), pair.getValue()) != null) {
                throw new IllegalStateException("two parameters share the name " + pair.getKey());
            }
        }
    }

    void requireGradients() {
        byName.values().forEach(p -> p.getArray().setRequiresGradient(true));
    }

    void forEach(BiConsumer<String, NDArray> action) {
        byName.forEach((name, p) -> action.accept(name, p.getArray()));
    }

    Map<String, HostTensor> toHost() {
        Map<String, HostTensor> copies = new TreeMap<>();
        forEach((name, array) -> copies.put(name, HostCopies.toHost(array)));
        return copies;
    }

    /** Overwrites every parameter; the names must match exactly, or the checkpoint is for another model. */
    void load(Map<String, HostTensor> values) {
        Set<String> expected = byName.keySet();
        if (!expected.equals(values.keySet())) {
            throw new IllegalArgumentException("checkpoint parameters " + new TreeMap<>(values).keySet()
                    + " do not match the model's " + expected + "; was it written for a different model spec?");
        }
        forEach((name, array) -> HostCopies.copyInto(values.get(name), array, name));
    }
}
