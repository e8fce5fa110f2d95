package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.runtime.AttemptEnvironment;
import java.util.Map;

/**
 * How checkpoint files move to and from the object store, from the attempt's environment (trainer-service sets it
 * from {@code savepoint.checkpoint.*}).
 *
 * @param shardSize tensor bytes above which a file is split into {@code model-0000i-of-0000n.safetensors} shards
 *        ({@value #SHARD_SIZE}, default 1 GiB; at most 2 GiB, the safetensors readers' per-file limit)
 * @param partSize bytes of one multipart part and one ranged GET ({@value #PART_SIZE}, default 16 MiB, at least
 *        5 MiB, the S3 minimum part size)
 * @param parallelism parts in flight at once per file, each holding one part buffer ({@value #PARALLELISM},
 *        default 4)
 */
public record TransferSettings(long shardSize, long partSize, int parallelism) {

    public static final String SHARD_SIZE = AttemptEnvironment.CHECKPOINT_SHARD_SIZE;
    public static final String PART_SIZE = AttemptEnvironment.CHECKPOINT_PART_SIZE;
    public static final String PARALLELISM = AttemptEnvironment.CHECKPOINT_PARALLELISM;

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_SHARD_SIZE = 2L * 1024 * 1024 * 1024;

    public TransferSettings {
        if (shardSize < 1 || shardSize > MAX_SHARD_SIZE) {
            throw new IllegalArgumentException(SHARD_SIZE + " must be 1 to " + MAX_SHARD_SIZE + " bytes, got "
                    + shardSize);
        }
        if (partSize < MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(PART_SIZE + " must be " + MIN_PART_SIZE + " (the S3 minimum part size) to "
                    + (Integer.MAX_VALUE - 8) + " bytes, got " + partSize);
        }
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException(PARALLELISM + " must be 1 to 64, got " + parallelism);
        }
    }

    public static TransferSettings defaults() {
        return new TransferSettings(1L << 30, 16L << 20, 4);
    }

    static TransferSettings from(Map<String, String> env) {
        TransferSettings d = defaults();
        return new TransferSettings(number(env, SHARD_SIZE, d.shardSize()), number(env, PART_SIZE, d.partSize()),
                (int) number(env, PARALLELISM, d.parallelism()));
    }

    Map<String, String> toEnvironment() {
        return Map.of(SHARD_SIZE, Long.toString(shardSize), PART_SIZE, Long.toString(partSize),
                PARALLELISM, Integer.toString(parallelism));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of bytes, got '" + value
                    + "'; unset it to use " + fallback, e);
        }
    }
}
