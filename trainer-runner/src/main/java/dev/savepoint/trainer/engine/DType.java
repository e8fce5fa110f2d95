package dev.savepoint.trainer.engine;

import ai.djl.ndarray.types.DataType;

/** Element types a host tensor may hold, named as safetensors names them. */
public enum DType {
    F32(4, DataType.FLOAT32),
    F64(8, DataType.FLOAT64),
    I32(4, DataType.INT32),
    I64(8, DataType.INT64),
    U8(1, DataType.UINT8);

    private final int bytes;
    private final DataType djlType;

    DType(int bytes, DataType djlType) {
        this.bytes = bytes;
        this.djlType = djlType;
    }

    public int bytes() {
        return bytes;
    }

    public DataType djlType() {
        return djlType;
    }

    /** The host type of a DJL array, or an error naming the type we cannot checkpoint. */
    public static DType of(DataType type) {
        for (DType candidate : values()) {
            if (candidate.djlType == type) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("cannot checkpoint arrays of type " + type + "; supported: F32, F64, I32, I64, U8");
    }

    /** The type a safetensors header names, or an error naming the unknown dtype. */
    public static DType parse(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported safetensors dtype '" + name + "'; supported: F32, F64, I32, I64, U8", e);
        }
    }
}
