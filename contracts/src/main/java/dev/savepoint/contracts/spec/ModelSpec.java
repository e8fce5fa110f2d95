package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The network to train: {@code mlp} (dense layers with dropout), {@code cnn} (1-D convolutions over the input
 * features, then a dense head) or {@code transformer} (a decoder-only language model over byte tokens: {@code layers}
 * pre-LayerNorm blocks of width {@code dModel} with {@code heads} attention heads over {@code seqLen} positions and a
 * {@code vocab}-way head). {@code inputs} and {@code outputs} belong to mlp and cnn, the last five to transformer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
        String type,
        Integer inputs,
        List<Integer> hidden,
        Integer outputs,
        Double dropout,
        List<Integer> channels,
        Integer kernel,
        Integer layers,
        Integer dModel,
        Integer heads,
        Integer seqLen,
        Integer vocab) {

    public static final String TRANSFORMER = "transformer";
    public static final List<String> TYPES = List.of("mlp", "cnn", TRANSFORMER);
    /** Byte-level tokens: every byte value is a token, so no tokenizer is needed. */
    public static final int BYTE_VOCAB = 256;

    @JsonCreator
    public ModelSpec {
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        channels = channels == null ? List.of(8, 16) : List.copyOf(channels);
        kernel = kernel == null ? 3 : kernel;
        vocab = vocab == null && TRANSFORMER.equals(type) ? Integer.valueOf(BYTE_VOCAB) : vocab;
    }

    /** An mlp or cnn. */
    public ModelSpec(String type, Integer inputs, List<Integer> hidden, Integer outputs, Double dropout,
            List<Integer> channels, Integer kernel) {
        this(type, inputs, hidden, outputs, dropout, channels, kernel, null, null, null, null, null);
    }

    /** A byte-level decoder-only transformer. */
    public static ModelSpec transformer(int layers, int dModel, int heads, int seqLen) {
        return new ModelSpec(TRANSFORMER, null, null, null, null, null, null, layers, dModel, heads, seqLen, BYTE_VOCAB);
    }

    @JsonIgnore
    public boolean isTransformer() {
        return TRANSFORMER.equals(type);
    }

    /**
     * The transformer's parameter count: token and position embeddings ({@code vocab x dModel + seqLen x dModel}),
     * per block two LayerNorms ({@code 4 d}), the fused q/k/v projection ({@code 3 d^2 + 3 d}), the output projection
     * ({@code d^2 + d}) and the MLP ({@code 8 d^2 + 5 d}), then the final LayerNorm ({@code 2 d}) and the untied LM
     * head ({@code vocab x dModel}, no bias): {@code 2 V d + S d + L (12 d^2 + 13 d) + 2 d}.
     */
    @JsonIgnore
    public long transformerParameters() {
        long d = dModel;
        return 2L * vocab * d + (long) seqLen * d + layers * (12 * d * d + 13 * d) + 2 * d;
    }
}
