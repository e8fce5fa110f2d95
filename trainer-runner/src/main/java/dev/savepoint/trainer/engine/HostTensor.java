package dev.savepoint.trainer.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor copied off the engine: dtype, shape and little-endian bytes, safe to serialize on any thread.
 *
 * <p>The arrays are shared, not copied, so that a snapshot costs one copy; treat them as read-only.
 */
public record HostTensor(DType dtype, long[] shape, byte[] data) {

    public HostTensor {
        long expected = elementCount(shape) * dtype.bytes();
        if (expected != data.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + expected + " bytes, got " + data.length);
        }
    }

    public static HostTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new HostTensor(DType.F32, shape, buffer.array());
    }

    /** A 0-dimensional I64 tensor, used for counters such as an optimizer's step count. */
    public static HostTensor ofLong(long value) {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return new HostTensor(DType.I64, new long[0], buffer.array());
    }

    public float[] toFloats() {
        requireType(DType.F32);
        float[] values = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** The single value of a 0- or 1-element I64 tensor. */
    public long toLong() {
        requireType(DType.I64);
        if (data.length != 8) {
            throw new IllegalStateException("expected one I64 value, tensor has shape " + Arrays.toString(shape));
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public long elementCount() {
        return elementCount(shape);
    }

    private void requireType(DType wanted) {
        if (dtype != wanted) {
            throw new IllegalStateException("expected a " + wanted + " tensor, got " + dtype);
        }
    }

    private static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
