package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Our GEMM convolution computes what PyTorch's Conv1d computes, with the same weight layout. */
class Conv1dGemmTest {

    @Test
    void matchesDjlConv1dWithTheSameWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(3, 2, 11);
            Block reference = Conv1d.builder().setKernelShape(new Shape(5)).optPadding(new Shape(2)).setFilters(4).build();
            Conv1dGemm ours = new Conv1dGemm(4, 5);
            reference.initialize(manager, DataType.FLOAT32, input);
            ours.initialize(manager, DataType.FLOAT32, input);
            ours.getParameters().forEach(pair -> pair.getValue().getArray()
                    .set(reference.getParameters().get(pair.getKey()).getArray().toByteBuffer()));

            NDArray x = manager.randomNormal(input);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray expected = reference.forward(store, new NDList(x), false).singletonOrThrow();
            NDArray actual = ours.forward(store, new NDList(x), false).singletonOrThrow();

            assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
            assertTrue(expected.allClose(actual, 1e-5, 1e-6, false), "outputs differ: " + expected.sub(actual).abs().max());
        }
    }
}
