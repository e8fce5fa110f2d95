package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.savepoint.contracts.spec.ModelSpec;

/**
 * Builds the network a {@link ModelSpec} describes: an mlp or cnn as a flat {@link SequentialBlock}, whose parameter
 * names ({@code 01Linear_weight}, {@code 02Conv1dGemm_bias}, ...) depend only on the spec, never on the JVM; a
 * transformer as a {@link CausalTransformer} named by module path ({@code blocks.0.attn.qkv.weight}).
 */
public final class ModelFactory {

    public Block build(ModelSpec spec) {
        if (spec.isTransformer()) {
            return new CausalTransformer(spec);
        }
        if (spec.inputs() < 1 || spec.outputs() < 1) {
            throw new IllegalArgumentException("model.inputs and model.outputs must be at least 1, got inputs="
                    + spec.inputs() + ", outputs=" + spec.outputs());
        }
        if (spec.dropout() < 0 || spec.dropout() >= 1) {
            throw new IllegalArgumentException("model.dropout must be in [0, 1), got " + spec.dropout());
        }
        switch (spec.type()) {
            case "mlp":
                return mlp(spec);
            case "cnn":
                return cnn(spec);
            default:
                throw new IllegalArgumentException("unknown model.type '" + spec.type() + "'; expected one of " + ModelSpec.TYPES);
        }
    }

    private SequentialBlock mlp(ModelSpec spec) {
        SequentialBlock net = new SequentialBlock();
        for (int units : spec.hidden()) {
            net.add(Linear.builder().setUnits(positive(units, "model.hidden")).build());
            net.add(Activation.reluBlock());
            addDropout(net, spec);
        }
        return net.add(Linear.builder().setUnits(spec.outputs()).build());
    }

    /** Features become one channel of a 1-D signal; same-padding keeps its length, so the head sees channels x inputs. */
    private SequentialBlock cnn(ModelSpec spec) {
        int kernel = positive(spec.kernel(), "model.kernel");
        SequentialBlock net = new SequentialBlock();
        net.add(new LambdaBlock(in -> new NDList(in.singletonOrThrow().expandDims(1)), "toChannels"));
        for (int channels : spec.channels()) {
            net.add(new Conv1dGemm(positive(channels, "model.channels"), kernel));
            net.add(Activation.reluBlock());
        }
        net.add(Blocks.batchFlattenBlock());
        addDropout(net, spec);
        return net.add(Linear.builder().setUnits(spec.outputs()).build());
    }

    private static void addDropout(SequentialBlock net, ModelSpec spec) {
        if (spec.dropout() > 0) {
            net.add(Dropout.builder().optRate(spec.dropout().floatValue()).build());
        }
    }

    private static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " entries must be at least 1, got " + value);
        }
        return value;
    }
}
