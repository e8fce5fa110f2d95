package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.SafetensorsReader;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/** A built-in trainer's checkpoint read into memory: its tensors and its {@code trainer_state.json}. */
record RestoredSnapshot(Snapshot snapshot, TrainerStateFile state) {

    /** Reads every file of a built-in checkpoint, verified, into a snapshot the session restores. */
    static CheckpointLoader.Restore<RestoredSnapshot> from(CheckpointStorage storage) {
        return manifest -> {
            Map<String, byte[]> files = new HashMap<>();
            for (ManifestFile f : manifest.files()) {
                var bytes = new ByteArrayOutputStream((int) Math.min(f.size(), Integer.MAX_VALUE - 8));
                CheckpointLoader.download(storage, manifest, f, bytes);
                files.put(f.name(), bytes.toByteArray());
            }
            TrainerStateFile state = Json.read(files.get(TrainerStateFile.FILE_NAME), TrainerStateFile.class);
            Snapshot snapshot = new Snapshot(SafetensorsReader.read(files.get(CheckpointFiles.MODEL)).tensors(),
                    SafetensorsReader.read(files.get(CheckpointFiles.OPTIMIZER)).tensors(), state.trainer());
            return new RestoredSnapshot(snapshot, state);
        };
    }
}
