package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.checkpoint.ParamsDigest;
import dev.savepoint.contracts.checkpoint.ShardNames;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The names of a built-in checkpoint's tensor files, and the hash every checkpoint file is listed with. */
public final class CheckpointFiles {

    /** The parameters' file set: {@code model.safetensors}, or its shards and index. */
    static final String MODEL_BASE = "model";
    /** The optimizer state's file set: {@code optimizer.safetensors}, or its shards and index. */
    static final String OPTIMIZER_BASE = "optimizer";
    static final String MODEL = ParamsDigest.MODEL_FILE;
    static final String OPTIMIZER = ShardNames.single(OPTIMIZER_BASE);

    private CheckpointFiles() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
