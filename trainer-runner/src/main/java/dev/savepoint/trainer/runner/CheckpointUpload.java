package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes one snapshot as one checkpoint: its files serialized to a spool folder and hashed as they stream, uploaded,
 * the manifest last (a checkpoint without one does not exist), then {@code CheckpointWritten}. Safe to repeat.
 */
final class CheckpointUpload {

    private final String runId;
    private final int attempt;
    private final CheckpointStorage storage;
    private final EventSink events;
    private final Function<Snapshot, TrainerStateFile> stateFile;
    private final TestFaults faults;
    private int complete; // checkpoints whose manifest this attempt wrote; only the writer thread touches it

    CheckpointUpload(String runId, int attempt, CheckpointStorage storage, EventSink events,
            Function<Snapshot, TrainerStateFile> stateFile, TestFaults faults) {
        this.runId = runId;
        this.attempt = attempt;
        this.storage = storage;
        this.events = events;
        this.stateFile = stateFile;
        this.faults = faults;
    }

    void write(Snapshot snapshot) throws IOException, InterruptedException {
        long step = snapshot.state().globalStep();
        String id = CheckpointManifest.checkpointId(runId, step, attempt);
        String prefix = CheckpointManifest.prefix(runId, step, attempt);
        Path spool = Files.createTempDirectory("savepoint-checkpoint-");
        try {
            TrainerStateFile state = stateFile.apply(snapshot);
            List<ManifestFile> files = List.of(
                    CheckpointFiles.tensors(spool, CheckpointFiles.MODEL, snapshot.parameters(),
                            Map.of("format", "pt", "run", runId, "step", Long.toString(step))),
                    CheckpointFiles.tensors(spool, CheckpointFiles.OPTIMIZER, snapshot.optimizerState(),
                            Map.of("optimizer", snapshot.state().optimizer())),
                    CheckpointFiles.json(spool, TrainerStateFile.FILE_NAME, state));
            for (ManifestFile f : files) {
                faults.pauseBeforeUpload();
                storage.upload(prefix + f.name(), spool.resolve(f.name()));
            }
            faults.pauseBeforeUpload();
            faults.holdBeforeManifest(complete);
            var manifest = new CheckpointManifest(0, id, runId, attempt, step, null, files);
            Files.write(spool.resolve(CheckpointManifest.FILE_NAME), Json.write(manifest));
            storage.upload(prefix + CheckpointManifest.FILE_NAME, spool.resolve(CheckpointManifest.FILE_NAME));
            complete++;
            events.send(Topics.CHECKPOINTS, CheckpointWritten.of(runId, attempt, id, step,
                    (int) snapshot.state().epoch(), snapshot.state().samplesSeen(), storage.bucket(), prefix,
                    files, state.metrics()));
        } finally {
            deleteRecursively(spool);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
