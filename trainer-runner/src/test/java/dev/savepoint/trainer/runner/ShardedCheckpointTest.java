package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ShardIndex;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TrainerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint above the shard size against the real S3 server: written as Hugging Face shards with an index, listed
 * shard by shard in the manifest and the event, restored bit for bit, and a shard with one flipped byte refused.
 */
class ShardedCheckpointTest {

    /** Small enough that the 20 parameters of 40,000 bytes make several shards of each file set. */
    static final long SHARD_SIZE = 100_000;

    @TempDir
    Path dir;
    final String runId = "shards-" + UUID.randomUUID();
    final RunnerConfig config = RunnerConfig.from(withShardSize(AttemptProcess.env(), SHARD_SIZE));
    final CheckpointStorage storage = new CheckpointStorage(config);
    KafkaEventSink events;
    StateFiles stateFiles;

    @BeforeEach
    void setUp() throws Exception {
        events = new KafkaEventSink(config.kafkaClient(), null);
        var spec = Json.spec(Files.readAllBytes(Specs.write(dir, "shards", Specs.MLP_ADAMW, 100, 1)));
        stateFiles = new StateFiles(new AttemptArgs(runId, 1, dir.resolve("spec.json"), null), spec);
    }

    @AfterEach
    void tearDown() {
        events.close();
    }

    @Test
    void checkpointAboveTheShardSizeIsWrittenAsShardsAndRestoredBitForBit() throws Exception {
        Snapshot written = snapshot(10, 20, 10_000);
        CheckpointManifest manifest = write(written);

        List<ManifestFile> modelShards = ShardNames.shardsOf("model", manifest.files());
        assertEquals(10, modelShards.size(), "20 x 40,000 bytes, two to a shard of at most 100,000");
        assertEquals(ShardNames.shard("model", 1, 10), modelShards.get(0).name());
        assertTrue(ShardNames.shardsOf("optimizer", manifest.files()).size() > 1, manifest.files().toString());
        assertTrue(manifest.files().stream().noneMatch(f -> f.name().equals(CheckpointFiles.MODEL)));
        ShardIndex index = Json.read(new StoredRun(runId).read(prefix(10) + "model.safetensors.index.json"),
                ShardIndex.class);
        assertEquals(written.parameters().keySet(), index.weightMap().keySet());
        assertEquals(800_000L, ((Number) index.metadata().get("total_size")).longValue());
        assertEquals(modelShards.get(0).name(), index.weightMap().get("layer00.weight"));
        var event = RunEvents.first(Topics.CHECKPOINTS, runId, CheckpointWritten.class, e -> e.step() == 10);
        assertEquals(manifest.files(), event.files());

        Snapshot restored = RestoredSnapshot.from(storage).restore(manifest).snapshot();
        assertEquals(written.parametersSha256(), restored.parametersSha256());
        assertSameTensors(written.parameters(), restored.parameters());
        assertSameTensors(written.optimizerState(), restored.optimizerState());
        assertEquals(written.state(), restored.state());
    }

    @Test
    void checkpointBelowTheShardSizeStaysOneFilePerTensorSet() throws Exception {
        CheckpointManifest manifest = write(snapshot(20, 2, 1_000));
        assertEquals(List.of(CheckpointFiles.MODEL, CheckpointFiles.OPTIMIZER, TrainerStateFile.FILE_NAME),
                manifest.files().stream().map(ManifestFile::name).toList());
    }

    @Test
    void oneFlippedByteInOneShardIsCaughtByItsHashAndNothingIsRestored() throws Exception {
        CheckpointManifest manifest = write(snapshot(30, 20, 10_000));
        String shard = ShardNames.shard("model", 3, 10);
        StoredRun stored = new StoredRun(runId);
        byte[] bytes = stored.read(prefix(30) + shard);
        bytes[bytes.length - 1000] ^= 0x01; // in the tensor data, past the header
        stored.write(prefix(30) + shard, bytes);

        var e = assertThrows(CheckpointCorruptException.class, () -> RestoredSnapshot.from(storage).restore(manifest));
        assertEquals(shard, e.fileName());
        assertEquals(manifest.checkpointId(), e.checkpointId());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aShardOfAnotherSizeThanItsManifestSaysIsRefusedBeforeItsTensorsAreRead() throws Exception {
        CheckpointManifest manifest = write(snapshot(40, 20, 10_000));
        String shard = ShardNames.shard("optimizer", 2, ShardNames.shardsOf("optimizer", manifest.files()).size());
        StoredRun stored = new StoredRun(runId);
        byte[] bytes = stored.read(prefix(40) + shard);
        stored.write(prefix(40) + shard, java.util.Arrays.copyOf(bytes, bytes.length + 1));

        var e = assertThrows(CheckpointCorruptException.class, () -> RestoredSnapshot.from(storage).restore(manifest));
        assertEquals(shard, e.fileName());
        assertTrue(e.getMessage().contains((bytes.length + 1) + " bytes"), e.getMessage());
    }

    private CheckpointManifest write(Snapshot snapshot) throws Exception {
        new CheckpointUpload(runId, 1, storage, events, stateFiles::of, TestFaults.none()).write(snapshot);
        long step = snapshot.state().globalStep();
        return new StoredRun(runId).manifests().stream().filter(m -> m.step() == step).findFirst().orElseThrow();
    }

    private String prefix(long step) {
        return CheckpointManifest.prefix(runId, step, 1);
    }

    /** {@code layers} parameters of {@code floats} random floats each, an AdamW-like state for each, and counters. */
    static Snapshot snapshot(long step, int layers, int floats) {
        Random random = new Random(step);
        Map<String, HostTensor> parameters = new HashMap<>();
        Map<String, HostTensor> optimizer = new HashMap<>();
        for (int i = 0; i < layers; i++) {
            String name = String.format("layer%02d.weight", i);
            parameters.put(name, randomFloats(random, floats));
            optimizer.put(name + ".m", randomFloats(random, floats));
            optimizer.put(name + ".v", randomFloats(random, floats));
            optimizer.put(name + ".step", HostTensor.ofLong(step));
        }
        var state = new TrainerState(step, 0, step * 4, 0.01, 0.5, 42, 7, step * 4, 4, "adamw", 1);
        return new Snapshot(parameters, optimizer, state);
    }

    private static HostTensor randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return HostTensor.ofFloats(new long[] {count}, values);
    }

    static void assertSameTensors(Map<String, HostTensor> expected, Map<String, HostTensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, tensor) -> {
            assertEquals(tensor.dtype(), actual.get(name).dtype(), name);
            assertArrayEquals(tensor.shape(), actual.get(name).shape(), name);
            assertArrayEquals(tensor.data(), actual.get(name).data(), name);
        });
    }

    static Map<String, String> withShardSize(Map<String, String> env, long shardSize) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(TransferSettings.SHARD_SIZE, Long.toString(shardSize));
        return copy;
    }
}
