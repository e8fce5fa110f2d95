package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The network to train: {@code mlp} (dense layers with dropout) or {@code cnn} (1-D convolutions over the
 * input features, then a dense head).
 */
public record ModelSpec(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) Integer inputs,
        List<Integer> hidden,
        @JsonProperty(required = true) Integer outputs,
        Double dropout,
        List<Integer> channels,
        Integer kernel) {

    public static final List<String> TYPES = List.of("mlp", "cnn");

    public ModelSpec {
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        channels = channels == null ? List.of(8, 16) : List.copyOf(channels);
        kernel = kernel == null ? 3 : kernel;
    }
}
