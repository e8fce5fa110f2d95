package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.savepoint.contracts.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer language model: token and learned position embeddings, {@code layers} pre-LayerNorm
 * blocks (causal multi-head self-attention, then an MLP of width 4 x dModel with GELU, each added to the residual
 * stream), a final LayerNorm and an untied LM head. Input {@code (batch, seqLen)} token ids (as float values),
 * output {@code (batch, seqLen, vocab)} logits for the next token at every position.
 *
 * <p>Every parameter is a direct parameter of this block, named like PyTorch module paths
 * ({@code blocks.0.attn.qkv.weight}), with PyTorch's {@code nn.Linear} layout {@code (out, in)}: the names are the
 * checkpoint keys, the same in every JVM, and {@code model.safetensors} reads into an equivalent PyTorch module.
 */
public final class CausalTransformer extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPSILON = 1e-5f;
    private static final float INIT_STD = 0.02f;

    private final int dModel;
    private final int heads;
    private final int seqLen;
    private final int vocab;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<Layer> blocks = new ArrayList<>();
    private final Parameter finalNormWeight;
    private final Parameter finalNormBias;
    private final Parameter head;
    private float[] causalMask = new float[0];

    /** One block's parameters. */
    private record Layer(Parameter norm1Weight, Parameter norm1Bias, Parameter qkvWeight, Parameter qkvBias,
            Parameter projWeight, Parameter projBias, Parameter norm2Weight, Parameter norm2Bias, Parameter fcWeight,
            Parameter fcBias, Parameter outWeight, Parameter outBias) {
    }

    public CausalTransformer(ModelSpec spec) {
        super(VERSION);
        this.dModel = spec.dModel();
        this.heads = spec.heads();
        this.seqLen = spec.seqLen();
        this.vocab = spec.vocab();
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("model.dModel " + dModel + " is not divisible by model.heads " + heads);
        }
        // GPT-2's scheme: N(0, 0.02), the projections into the residual stream scaled down by sqrt(2 x layers).
        Initializer normal = new NormalInitializer(INIT_STD);
        Initializer residual = new NormalInitializer((float) (INIT_STD / Math.sqrt(2.0 * spec.layers())));
        tokenEmbedding = weight("tok_emb.weight", new Shape(vocab, dModel), normal);
        positionEmbedding = weight("pos_emb.weight", new Shape(seqLen, dModel), normal);
        for (int i = 0; i < spec.layers(); i++) {
            String p = "blocks." + i + ".";
            blocks.add(new Layer(
                    weight(p + "ln1.weight", new Shape(dModel), Initializer.ONES),
                    weight(p + "ln1.bias", new Shape(dModel), Initializer.ZEROS),
                    weight(p + "attn.qkv.weight", new Shape(3L * dModel, dModel), normal),
                    weight(p + "attn.qkv.bias", new Shape(3L * dModel), Initializer.ZEROS),
                    weight(p + "attn.proj.weight", new Shape(dModel, dModel), residual),
                    weight(p + "attn.proj.bias", new Shape(dModel), Initializer.ZEROS),
                    weight(p + "ln2.weight", new Shape(dModel), Initializer.ONES),
                    weight(p + "ln2.bias", new Shape(dModel), Initializer.ZEROS),
                    weight(p + "mlp.fc.weight", new Shape(4L * dModel, dModel), normal),
                    weight(p + "mlp.fc.bias", new Shape(4L * dModel), Initializer.ZEROS),
                    weight(p + "mlp.proj.weight", new Shape(dModel, 4L * dModel), residual),
                    weight(p + "mlp.proj.bias", new Shape(dModel), Initializer.ZEROS)));
        }
        finalNormWeight = weight("ln_f.weight", new Shape(dModel), Initializer.ONES);
        finalNormBias = weight("ln_f.bias", new Shape(dModel), Initializer.ZEROS);
        head = weight("lm_head.weight", new Shape(vocab, dModel), normal);
    }

    private Parameter weight(String name, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(initializer).build());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), vocab)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager scratch = x.getManager();
        long batch = x.getShape().get(0);
        int length = Math.toIntExact(x.getShape().get(1));
        if (length > seqLen) {
            throw new IllegalArgumentException("an input of " + length + " tokens is longer than model.seqLen " + seqLen);
        }
        NDArray ids = x.toType(DataType.INT64, false);
        NDArray tokens = ids.getNDArrayInternal().embedding(ids, value(store, tokenEmbedding, x), SparseFormat.DENSE)
                .singletonOrThrow();
        // A slice of a parameter belongs to the model's manager: attach it to this step's, or it piles up.
        NDArray positions = value(store, positionEmbedding, x).get("0:{}", length);
        scratch.attachAll(positions);
        NDArray h = tokens.add(positions);
        NDArray mask = scratch.create(causalMask(length), new Shape(length, length));
        for (Layer layer : blocks) {
            NDArray a = norm(h, store, layer.norm1Weight(), layer.norm1Bias());
            h = h.add(linear(attention(linear(a, store, layer.qkvWeight(), layer.qkvBias()), mask, batch, length),
                    store, layer.projWeight(), layer.projBias()));
            NDArray m = Activation.gelu(linear(norm(h, store, layer.norm2Weight(), layer.norm2Bias()), store,
                    layer.fcWeight(), layer.fcBias()));
            h = h.add(linear(m, store, layer.outWeight(), layer.outBias()));
        }
        NDArray last = norm(h, store, finalNormWeight, finalNormBias);
        return Linear.linear(last, value(store, head, x));
    }

    /** {@code qkv (B, S, 3d)} to the heads' weighted values {@code (B, S, d)}, each position seeing only its past. */
    private NDArray attention(NDArray qkv, NDArray mask, long batch, int length) {
        int headDim = dModel / heads;
        NDArray split = qkv.reshape(batch, length, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(headDim)).add(mask);
        return scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, dModel);
    }

    private NDArray norm(NDArray in, ParameterStore store, Parameter weight, Parameter bias) {
        return LayerNorm.layerNorm(in, new Shape(dModel), value(store, weight, in), value(store, bias, in), EPSILON)
                .singletonOrThrow();
    }

    private static NDArray linear(NDArray in, ParameterStore store, Parameter weight, Parameter bias) {
        return Linear.linear(in, value(store, weight, in), value(store, bias, in)).singletonOrThrow();
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDArray like) {
        return store.getValue(parameter, like.getDevice(), true);
    }

    /** 0 on and below the diagonal, -infinity above: softmax then gives the future no weight. */
    private float[] causalMask(int length) {
        if (causalMask.length != length * length) {
            float[] mask = new float[length * length];
            for (int row = 0; row < length; row++) {
                for (int col = row + 1; col < length; col++) {
                    mask[row * length + col] = Float.NEGATIVE_INFINITY;
                }
            }
            causalMask = mask;
        }
        return causalMask;
    }
}
