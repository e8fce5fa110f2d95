package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ShardIndex;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A built-in trainer's checkpoint read into memory: its tensors and its {@code trainer_state.json}. Tensor files come
 * single or sharded (old checkpoints are single), each read by parallel ranged GETs straight into its tensors and
 * verified against the manifest; a sharded set must also match its index's weight map.
 */
record RestoredSnapshot(Snapshot snapshot, TrainerStateFile state) {

    /** Reads every file of a built-in checkpoint, verified, into a snapshot the session restores. */
    static CheckpointLoader.Restore<RestoredSnapshot> from(CheckpointStorage storage) {
        return manifest -> {
            TrainerStateFile state = Json.read(small(storage, manifest, file(manifest, TrainerStateFile.FILE_NAME)),
                    TrainerStateFile.class);
            Snapshot snapshot = new Snapshot(tensors(storage, manifest, CheckpointFiles.MODEL_BASE),
                    tensors(storage, manifest, CheckpointFiles.OPTIMIZER_BASE), state.trainer());
            return new RestoredSnapshot(snapshot, state);
        };
    }

    /** The tensors of one file set ({@code model} or {@code optimizer}), single or sharded. */
    static Map<String, HostTensor> tensors(CheckpointStorage storage, CheckpointManifest manifest, String base)
            throws IOException, CheckpointCorruptException {
        Optional<ManifestFile> single = find(manifest, ShardNames.single(base));
        if (single.isPresent()) {
            return read(storage, manifest, single.get());
        }
        List<ManifestFile> shards = ShardNames.shardsOf(base, manifest.files());
        ManifestFile indexFile = file(manifest, ShardNames.index(base));
        if (shards.isEmpty()) {
            throw corrupt(manifest, indexFile, "lists neither " + ShardNames.single(base) + " nor its shards");
        }
        ShardIndex index = Json.read(small(storage, manifest, indexFile), ShardIndex.class);
        Map<String, HostTensor> tensors = new HashMap<>();
        Map<String, String> found = new HashMap<>();
        for (ManifestFile shard : shards) {
            read(storage, manifest, shard).forEach((name, tensor) -> {
                tensors.put(name, tensor);
                found.put(name, shard.name());
            });
        }
        if (!found.equals(index.weightMap())) {
            throw corrupt(manifest, indexFile, "names other tensors or shards than the shards hold");
        }
        return tensors;
    }

    private static Map<String, HostTensor> read(CheckpointStorage storage, CheckpointManifest manifest,
            ManifestFile f) throws IOException, CheckpointCorruptException {
        try {
            return storage.rangedDownload().read(key(manifest, f), f).tensors();
        } catch (RangedDownload.CorruptFile e) {
            throw corrupt(manifest, f, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("restore of " + f.name() + " interrupted", e);
        }
    }

    /** A small JSON file, verified as it streams. */
    private static byte[] small(CheckpointStorage storage, CheckpointManifest manifest, ManifestFile f)
            throws IOException, CheckpointCorruptException {
        var bytes = new ByteArrayOutputStream((int) Math.min(f.size(), 1 << 20));
        CheckpointLoader.download(storage, manifest, f, bytes);
        return bytes.toByteArray();
    }

    private static ManifestFile file(CheckpointManifest manifest, String name) throws CheckpointCorruptException {
        return find(manifest, name).orElseThrow(() -> new CheckpointCorruptException(manifest.checkpointId(), name,
                "checkpoint " + manifest.checkpointId() + " has no " + name + " in its manifest"));
    }

    private static Optional<ManifestFile> find(CheckpointManifest manifest, String name) {
        return manifest.files().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    private static String key(CheckpointManifest manifest, ManifestFile f) {
        return CheckpointManifest.prefix(manifest.runId(), manifest.step(), manifest.attempt()) + f.name();
    }

    private static CheckpointCorruptException corrupt(CheckpointManifest manifest, ManifestFile f, String why) {
        String id = manifest.checkpointId();
        return new CheckpointCorruptException(id, f.name(), "checkpoint " + id + " file " + f.name() + " is corrupt: "
                + "it " + why);
    }
}
