package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes one snapshot as one checkpoint: its tensor files (sharded above the shard size) streamed from the snapshot
 * to storage and hashed on the way, no copy of a whole file anywhere; the manifest last (a checkpoint without one does
 * not exist), then {@code CheckpointWritten}. Safe to repeat.
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
        TrainerStateFile state = stateFile.apply(snapshot);
        TensorFiles tensors = new TensorFiles(storage, faults::pauseBeforeUpload);
        List<ManifestFile> files = new ArrayList<>();
        files.addAll(tensors.write(prefix, CheckpointFiles.MODEL_BASE, snapshot.parameters(),
                Map.of("format", "pt", "run", runId, "step", Long.toString(step))));
        files.addAll(tensors.write(prefix, CheckpointFiles.OPTIMIZER_BASE, snapshot.optimizerState(),
                Map.of("optimizer", snapshot.state().optimizer())));
        files.add(tensors.json(prefix, TrainerStateFile.FILE_NAME, state));
        faults.pauseBeforeUpload();
        faults.holdBeforeManifest(complete);
        new TensorFiles(storage, () -> { }).json(prefix, CheckpointManifest.FILE_NAME,
                new CheckpointManifest(0, id, runId, attempt, step, null, files));
        complete++;
        events.send(Topics.CHECKPOINTS, CheckpointWritten.of(runId, attempt, id, step,
                (int) snapshot.state().epoch(), snapshot.state().samplesSeen(), storage.bucket(), prefix,
                files, state.metrics()));
    }
}
