package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The optimizer: {@code adamw} (decoupled weight decay) or {@code sgd} (with momentum); its state is saved whole. */
public record OptimizerSpec(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) Double lr,
        Double weightDecay,
        Double beta1,
        Double beta2,
        Double epsilon,
        Double momentum) {

    public static final List<String> TYPES = List.of("adamw", "sgd");

    public OptimizerSpec {
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.999 : beta2;
        epsilon = epsilon == null ? 1e-8 : epsilon;
        momentum = momentum == null ? 0.9 : momentum;
    }
}
