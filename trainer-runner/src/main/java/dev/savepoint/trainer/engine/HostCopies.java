package dev.savepoint.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Moves tensors between the engine and host memory; the only place that turns NDArrays into bytes. */
final class HostCopies {

    static {
        // HostTensor promises little-endian bytes; the engine hands us native order, which must then match.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("Savepoint checkpoints need a little-endian CPU, this one is " + ByteOrder.nativeOrder());
        }
    }

    private HostCopies() {
    }

    static HostTensor toHost(NDArray array) {
        // tryDirect=true lets PyTorch hand out a view of the tensor memory, so this is the only copy.
        ByteBuffer view = array.toByteBuffer(true);
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return new HostTensor(DType.of(array.getDataType()), array.getShape().getShape(), bytes);
    }

    static NDArray toEngine(HostTensor tensor, NDManager manager) {
        ByteBuffer buffer = manager.allocateDirect(tensor.data().length);
        buffer.put(tensor.data()).rewind();
        return manager.create(buffer, new Shape(tensor.shape()), tensor.dtype().djlType());
    }

    /** Overwrites {@code target} in place, so that blocks and optimizers keep their references to it. */
    static void copyInto(HostTensor tensor, NDArray target, String name) {
        if (!Arrays.equals(tensor.shape(), target.getShape().getShape()) || tensor.dtype() != DType.of(target.getDataType())) {
            throw new IllegalArgumentException("checkpoint tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                    + " " + tensor.dtype() + " but the model expects " + target.getShape() + " " + DType.of(target.getDataType())
                    + "; was the checkpoint written for a different model spec?");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(tensor.data().length).order(ByteOrder.nativeOrder());
        buffer.put(tensor.data()).rewind();
        target.set(buffer);
    }
}
