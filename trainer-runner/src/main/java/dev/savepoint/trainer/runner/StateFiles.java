package dev.savepoint.trainer.runner;

import ai.djl.engine.Engine;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.EngineSettings;
import dev.savepoint.trainer.engine.Fingerprints;
import dev.savepoint.trainer.engine.Snapshot;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@code trainer_state.json} for a snapshot; what does not change during an attempt is computed once. */
final class StateFiles {

    private final AttemptArgs args;
    private final RunSpec spec;
    private final String specSha256;
    private final Map<String, String> versions;
    private final DeterminismFingerprint fingerprint;

    StateFiles(AttemptArgs args, RunSpec spec) {
        this.args = args;
        this.spec = spec;
        this.specSha256 = HexFormat.of().formatHex(CheckpointFiles.sha256().digest(Json.write(spec)));
        this.versions = new LinkedHashMap<>();
        versions.put("djl", Engine.getDjlVersion());
        versions.put("pytorch", Engine.getEngine("PyTorch").getVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("savepoint", String.valueOf(StateFiles.class.getPackage().getImplementationVersion()));
        this.fingerprint = Fingerprints.current(EngineSettings.intraOpThreads());
    }

    TrainerStateFile of(Snapshot snapshot) {
        long step = snapshot.state().globalStep();
        Map<String, Double> metrics = Double.isNaN(snapshot.state().loss()) ? Map.of()
                : Map.of("loss", snapshot.state().loss());
        return new TrainerStateFile(TrainerStateFile.FORMAT_VERSION, args.runId(), args.attempt(),
                CheckpointManifest.checkpointId(args.runId(), step, args.attempt()), Instant.now(), snapshot.state(),
                specSha256, spec.schedule(), spec.optimizer().lr(), versions, fingerprint, metrics);
    }
}
