package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ShardIndex;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.SafetensorsWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one set of tensors ({@code model}, {@code optimizer}) as checkpoint files, streamed to storage: one
 * {@code model.safetensors} when its tensor bytes fit the shard size, else shards in name order named as Hugging Face
 * names them ({@code model-00001-of-00003.safetensors}) and their {@code model.safetensors.index.json}. Because the
 * shards hold consecutive runs of the name-ordered tensors, their data sections back to back are the single file's.
 */
final class TensorFiles {

    /** A step before each file's upload, for the attempt's test faults. */
    @FunctionalInterface
    interface BeforeUpload {
        void run() throws InterruptedException;
    }

    private final CheckpointStorage storage;
    private final BeforeUpload beforeUpload;

    TensorFiles(CheckpointStorage storage, BeforeUpload beforeUpload) {
        this.storage = storage;
        this.beforeUpload = beforeUpload;
    }

    /** Uploads the files of {@code base} under {@code prefix}; returns them as the manifest lists them. */
    List<ManifestFile> write(String prefix, String base, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException, InterruptedException {
        List<Map<String, HostTensor>> shards = plan(tensors, storage.transfer().shardSize());
        if (shards.size() == 1) {
            return List.of(tensorFile(prefix, ShardNames.single(base), shards.get(0), metadata));
        }
        List<ManifestFile> files = new ArrayList<>();
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = ShardNames.shard(base, i + 1, shards.size());
            files.add(tensorFile(prefix, name, shards.get(i), metadata));
            for (var tensor : shards.get(i).entrySet()) {
                weightMap.put(tensor.getKey(), name);
                total += tensor.getValue().data().length;
            }
        }
        files.add(json(prefix, ShardNames.index(base), ShardIndex.of(total, weightMap)));
        return files;
    }

    /** Uploads a small JSON file (state, index) and returns it as the manifest lists it. */
    ManifestFile json(String prefix, String name, Object value) throws IOException, InterruptedException {
        byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        beforeUpload.run();
        String sha = storage.put(prefix + name, bytes.length, new ByteArrayInputStream(bytes));
        return new ManifestFile(name, bytes.length, sha);
    }

    private ManifestFile tensorFile(String prefix, String name, Map<String, HostTensor> tensors,
            Map<String, String> metadata) throws IOException, InterruptedException {
        var file = SafetensorsWriter.serialize(tensors, metadata);
        beforeUpload.run();
        String sha = storage.put(prefix + name, file.size(), file.bytes());
        return new ManifestFile(name, file.size(), sha);
    }

    /**
     * The tensors in name order cut into runs whose data stays within {@code shardSize} bytes (a tensor larger than
     * that is a shard of its own); one run when everything fits.
     */
    static List<Map<String, HostTensor>> plan(Map<String, HostTensor> tensors, long shardSize) {
        List<Map<String, HostTensor>> shards = new ArrayList<>();
        Map<String, HostTensor> current = new LinkedHashMap<>();
        long bytes = 0;
        for (var tensor : new TreeMap<>(tensors).entrySet()) {
            long size = tensor.getValue().data().length;
            if (!current.isEmpty() && bytes + size > shardSize) {
                shards.add(current);
                current = new LinkedHashMap<>();
                bytes = 0;
            }
            current.put(tensor.getKey(), tensor.getValue());
            bytes += size;
        }
        shards.add(current);
        return shards;
    }
}
