package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A stride-1, same-padded 1-D convolution computed as shifted slices plus one matrix multiply.
 *
 * <p>Why not DJL's {@code Conv1d}: PyTorch's CPU convolution (oneDNN) sums in a thread-count dependent order, so
 * a run resumed with other intra-op threads would drift; a GEMM under {@code MKL_CBWR} does not. The weight keeps
 * PyTorch's Conv1d layout {@code (out, in, kernel)}, so checkpoints load into {@code torch.nn.Conv1d}.
 */
public final class Conv1dGemm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final int kernel;
    private final Parameter weight;
    private final Parameter bias;

    public Conv1dGemm(int filters, int kernel) {
        super(VERSION);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("model.kernel must be odd so the output keeps the input length, got " + kernel);
        }
        this.filters = filters;
        this.kernel = kernel;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel));
        bias.setShape(new Shape(filters));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), filters, in.get(2))};
    }

    /** Input {@code (N, C, L)}; output {@code (N, filters, L)}. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        long batch = x.getShape().get(0);
        long channels = x.getShape().get(1);
        long length = x.getShape().get(2);
        NDArray pad = x.getManager().zeros(new Shape(batch, channels, kernel / 2), x.getDataType());
        NDArray padded = NDArrays.concat(new NDList(pad, x, pad), 2);
        NDList shifted = new NDList(kernel);
        for (int j = 0; j < kernel; j++) {
            shifted.add(padded.get(new NDIndex(":, :, {}:{}", j, j + length)));
        }
        // patches[n, c * kernel + j, l] = padded[n, c, l + j], matching weight[o, c, j] flattened to (o, c * kernel + j).
        NDArray patches = NDArrays.stack(shifted, 2).reshape(batch, channels * kernel, length);
        // Views of the parameters would otherwise belong to the long-lived model manager and pile up every step.
        NDArray flat = w.reshape(filters, channels * kernel);
        NDArray matrix = flat.transpose();
        NDArray column = b.reshape(1, filters, 1);
        x.getManager().attachAll(flat, matrix, column);
        // One product per sample (bmm) instead of one (batch * length) x (channels * kernel) GEMM: the weight
        // gradient then sums over `length` inside each product and over the batch in a separate reduction. Folded,
        // its inner dimension is batch * length, which MKL splits across threads on AMD even under MKL_CBWR=STRICT.
        NDArray perSample = matrix.expandDims(0).broadcast(new Shape(batch, channels * kernel, filters));
        x.getManager().attachAll(perSample);
        NDArray out = patches.transpose(0, 2, 1).matMul(perSample);
        return new NDList(out.transpose(0, 2, 1).add(column));
    }
}
