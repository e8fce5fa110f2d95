package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad specs, bad data and corrupt checkpoints end the attempt early, with a reason and a message naming the cause. */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void invalidSpecIsRefusedBeforeTrainingNamingTheField() throws Exception {
        Path spec = Specs.write(dir, "bad-lr", Specs.MLP_ADAMW.replace("\"lr\": 0.001", "\"lr\": -0.5"), 100, 1);
        String runId = "bad-spec-" + UUID.randomUUID();
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(AttemptExit.INVALID_SPEC.code(), attempt.awaitExit());
        assertTrue(attempt.stderr().contains("optimizer.lr"), attempt.stderr());
        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.INVALID_SPEC, failed.reason());
        assertTrue(failed.message().contains("optimizer.lr must be > 0, got -0.5"), failed.message());
        assertTrue(new StoredRun(runId).folders().isEmpty(), "an invalid spec must not write checkpoints");
    }

    @Test
    void aCsvPathOutsideTheDataRootsIsRefusedBeforeAnythingIsRead() throws Exception {
        Path spec = dir.resolve("passwd.json");
        Files.writeString(spec, """
                {"name": "passwd", "seed": 1, "maxSteps": 10, "batchSize": 2,
                 "model": {"type": "mlp", "inputs": 2, "hidden": [4], "outputs": 2},
                 "data": {"type": "csv", "path": "/etc/passwd"},
                 "optimizer": {"type": "sgd", "lr": 0.1}}""");
        String runId = "passwd-" + UUID.randomUUID();
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(AttemptExit.INVALID_SPEC.code(), attempt.awaitExit());
        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.INVALID_SPEC, failed.reason());
        assertTrue(failed.message().contains("data.path"), failed.message());
    }

    @Test
    void csvWithABadRowNamesTheRow() throws Exception {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "a,b,label\n0.1,0.2,0\n0.3,oops,1\n");
        Path spec = dir.resolve("csv.json");
        Files.writeString(spec, """
                {"name": "csv", "seed": 1, "maxSteps": 10, "batchSize": 2,
                 "model": {"type": "mlp", "inputs": 2, "hidden": [4], "outputs": 2},
                 "data": {"type": "csv", "path": "%s"},
                 "optimizer": {"type": "sgd", "lr": 0.1}}""".formatted(csv));
        String runId = "bad-csv-" + UUID.randomUUID();
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(AttemptExit.DATA_ERROR.code(), attempt.awaitExit());
        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.DATA_ERROR, failed.reason());
        assertTrue(failed.message().contains("row 3") && failed.message().contains("oops"), failed.message());
    }

    @Test
    void oneFlippedByteInTheOnlyCheckpointFailsTheResumeAsCheckpointCorrupt() throws Exception {
        Path spec = Specs.write(dir, "flip", Specs.MLP_ADAMW, 100, 1); // one checkpoint: the final one at step 100
        String runId = "flip-" + UUID.randomUUID();
        AttemptProcess first = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, first.awaitExit(), first.stderr());

        StoredRun stored = new StoredRun(runId);
        String key = CheckpointManifest.prefix(runId, 100, 1) + CheckpointFiles.OPTIMIZER;
        byte[] bytes = stored.read(key);
        bytes[bytes.length / 2] ^= 0x01;
        stored.write(key, bytes);

        AttemptProcess second = AttemptProcess.start(dir, runId, 2, spec, "latest", Map.of());
        assertEquals(AttemptExit.CHECKPOINT_CORRUPT.code(), second.awaitExit());
        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.CHECKPOINT_CORRUPT, failed.reason());
        assertTrue(failed.message().contains(CheckpointFiles.OPTIMIZER), failed.message());
        assertEquals(CheckpointManifest.checkpointId(runId, 100, 1), failed.checkpointId());
        assertEquals(CheckpointFiles.OPTIMIZER, RunEvents.one(runId, CheckpointCorrupt.class).fileName());
    }
}
