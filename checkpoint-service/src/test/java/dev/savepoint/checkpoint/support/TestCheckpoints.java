package dev.savepoint.checkpoint.support;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.KafkaTestClient;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Writes checkpoints the way an attempt does (files, then manifest.json last, then the event) on the real stack. */
public final class TestCheckpoints {

    private final MinioClient s3;
    private final String bucket;

    public TestCheckpoints(MinioClient s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A run id unique to one test; the cps- prefix is what the test profile lets retention collect. */
    public static String runId(String label) {
        return "cps-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String bucket() {
        return bucket;
    }

    /** Uploads model, optimizer and trainer state, then the manifest; returns the matching CheckpointWritten. */
    public CheckpointWritten store(String runId, long step, int attempt, double loss) {
        String prefix = CheckpointManifest.prefix(runId, step, attempt);
        Random random = new Random(step * 31 + attempt);
        List<ManifestFile> files = new ArrayList<>();
        files.add(putFile(prefix, "model.safetensors", safetensors(bytes(random, 512))));
        files.add(putFile(prefix, "optimizer.safetensors", bytes(random, 256)));
        files.add(putFile(prefix, "trainer_state.json", ("{\"step\":" + step + ",\"loss\":" + loss + "}")
                .getBytes(StandardCharsets.UTF_8)));
        String checkpointId = CheckpointManifest.checkpointId(runId, step, attempt);
        put(prefix + CheckpointManifest.FILE_NAME,
                Json.write(new CheckpointManifest(0, checkpointId, runId, attempt, step, null, files)));
        return CheckpointWritten.of(runId, attempt, checkpointId, step, 1, step * 8, bucket, prefix, files,
                Map.of("loss", loss));
    }

    /**
     * Like {@link #store}, with the model as {@code shards} Hugging Face shards ({@code model-00001-of-0000n}) and its
     * index, each shard holding 512 parameter bytes; {@link #shardedParamsSha256} is their parameter hash.
     */
    public CheckpointWritten storeSharded(String runId, long step, int attempt, int shards) {
        String prefix = CheckpointManifest.prefix(runId, step, attempt);
        Random random = new Random(step * 31 + attempt);
        List<ManifestFile> files = new ArrayList<>();
        StringBuilder weightMap = new StringBuilder();
        for (int i = 1; i <= shards; i++) {
            String name = ShardNames.shard("model", i, shards);
            files.add(putFile(prefix, name, safetensors(bytes(random, 512))));
            weightMap.append(i == 1 ? "" : ",").append("\"w").append(i).append("\":\"").append(name).append('"');
        }
        files.add(putFile(prefix, ShardNames.index("model"), ("{\"metadata\":{\"total_size\":" + 512 * shards
                + "},\"weight_map\":{" + weightMap + "}}").getBytes(StandardCharsets.UTF_8)));
        files.add(putFile(prefix, "optimizer.safetensors", bytes(random, 256)));
        files.add(putFile(prefix, "trainer_state.json", ("{\"step\":" + step + "}").getBytes(StandardCharsets.UTF_8)));
        String checkpointId = CheckpointManifest.checkpointId(runId, step, attempt);
        put(prefix + CheckpointManifest.FILE_NAME,
                Json.write(new CheckpointManifest(0, checkpointId, runId, attempt, step, null, files)));
        return CheckpointWritten.of(runId, attempt, checkpointId, step, 1, step * 8, bucket, prefix, files,
                Map.of("loss", 0.5));
    }

    /** The parameter hash of {@link #storeSharded}'s shards: their data sections back to back, in shard order. */
    public static String shardedParamsSha256(long step, int attempt, int shards) {
        Random random = new Random(step * 31 + attempt);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < shards; i++) {
            all.writeBytes(bytes(random, 512));
        }
        return sha256(all.toByteArray());
    }

    private ManifestFile putFile(String prefix, String name, byte[] content) {
        put(prefix + name, content);
        return new ManifestFile(name, content.length, sha256(content));
    }

    public void put(String key, byte[] content) {
        try {
            s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot put " + key, e);
        }
    }

    public boolean exists(String key) {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException("cannot stat " + key, e);
        }
    }

    /** Keys under a prefix, recursively. */
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (var r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                keys.add(r.get().objectName());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + prefix, e);
        }
        return keys;
    }

    public void send(String topic, SavepointEvent event) {
        KafkaTestClient.send(topic, event);
    }

    public void send(String topic, String key, byte[] value) {
        KafkaTestClient.send(topic, key, value);
    }

    /** The SHA-256 of the parameters {@link #store} writes for this step and attempt (its model's data section). */
    public static String paramsSha256(long step, int attempt) {
        return sha256(bytes(new Random(step * 31 + attempt), 512));
    }

    /** A safetensors file holding {@code data} as one float32 tensor, as the built-in trainer writes its model. */
    public static byte[] safetensors(byte[] data) {
        byte[] header = ("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + data.length / 4 + "],\"data_offsets\":[0,"
                + data.length + "]}}").getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + header.length + data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return file.putLong(header.length).put(header).put(data).array();
    }

    public static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
