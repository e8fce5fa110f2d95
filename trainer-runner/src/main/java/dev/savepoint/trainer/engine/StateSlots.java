package dev.savepoint.trainer.engine;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Splits optimizer state names of the form {@code <parameter>.<slot>} back into per-parameter slot maps. */
final class StateSlots {

    private StateSlots() {
    }

    static Map<String, Map<String, HostTensor>> group(Map<String, HostTensor> state, Set<String> slots, String optimizer) {
        Map<String, Map<String, HostTensor>> byParameter = new TreeMap<>();
        for (Map.Entry<String, HostTensor> entry : state.entrySet()) {
            String key = entry.getKey();
            int dot = key.lastIndexOf('.');
            String slot = dot < 0 ? "" : key.substring(dot + 1);
            if (!slots.contains(slot)) {
                throw new IllegalArgumentException("optimizer state '" + key + "' is not a " + optimizer + " slot; expected "
                        + "<parameter>.<slot> with slot in " + slots + "; was the checkpoint written by another optimizer?");
            }
            byParameter.computeIfAbsent(key.substring(0, dot), k -> new TreeMap<>()).put(slot, entry.getValue());
        }
        byParameter.forEach((parameter, found) -> {
            if (!found.keySet().equals(slots)) {
                throw new IllegalArgumentException("optimizer state for '" + parameter + "' has slots " + found.keySet()
                        + ", " + optimizer + " needs " + slots);
            }
        });
        return byParameter;
    }
}
