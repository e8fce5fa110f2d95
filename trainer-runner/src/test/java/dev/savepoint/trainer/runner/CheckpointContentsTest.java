package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.Heartbeat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one finished attempt leaves behind: safetensors DJL opens, a full trainer_state.json, and its events. */
class CheckpointContentsTest {

    @TempDir
    static Path dir;
    static String runId;
    static String finalHash;
    static StoredRun stored;

    @BeforeAll
    static void trainOneAttempt() throws Exception {
        runId = "contents-" + UUID.randomUUID();
        // Kept by retention, the checkpoints at 100 and 200 are never skipped, so the cadence below is exact.
        Path spec = Specs.write(dir, "contents", Specs.MLP_ADAMW, 250, 1, Specs.EVERY_100_KEPT);
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, attempt.awaitExit(), attempt.stderr());
        finalHash = attempt.finalHash();
        stored = new StoredRun(runId);
    }

    @Test
    void checkpointsFollowTheSpecCadenceAndOneMoreAtTheEnd() {
        assertEquals(List.of(100L, 200L, 250L), stored.manifests().stream().map(CheckpointManifest::step).toList());
        List<CheckpointWritten> written = RunEvents.await(Topics.CHECKPOINTS, runId, CheckpointWritten.class, 3);
        assertEquals(List.of(100L, 200L, 250L), written.stream().map(CheckpointWritten::step).toList());
        CheckpointWritten last = written.get(2);
        assertEquals(stored.manifests().get(2).files(), last.files());
        assertTrue(last.metrics().containsKey("loss"));
    }

    @Test
    void modelAndOptimizerFilesOpenWithDjlUnderStableNames() {
        String prefix = CheckpointManifest.prefix(runId, 250, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList model = NDList.decode(manager, stored.read(prefix + CheckpointFiles.MODEL));
            Map<String, NDArray> byName = model.stream().collect(Collectors.toMap(NDArray::getName, a -> a));
            assertEquals(6, byName.size(), byName.keySet().toString()); // 3 Linear layers: weight + bias each
            assertArrayEquals(new long[] {256, 32}, firstWeight(byName).getShape().getShape());

            NDList optimizer = NDList.decode(manager, stored.read(prefix + CheckpointFiles.OPTIMIZER));
            Set<String> names = optimizer.stream().map(NDArray::getName).collect(Collectors.toCollection(TreeSet::new));
            for (String param : byName.keySet()) {
                assertTrue(names.containsAll(List.of(param + ".exp_avg", param + ".exp_avg_sq", param + ".step")),
                        "AdamW state of " + param + " missing: " + names);
            }
        }
    }

    @Test
    void trainerStateHoldsEverythingAResumeAndAReaderNeed() throws Exception {
        JsonNode state = Json.mapper().readTree(
                new String(stored.read(CheckpointManifest.prefix(runId, 200, 1) + TrainerStateFile.FILE_NAME)));
        JsonNode trainer = state.path("trainer");
        assertEquals(200, trainer.path("globalStep").asLong());
        assertEquals(200 * 64, trainer.path("samplesSeen").asLong());
        for (String field : List.of("epoch", "lr", "loss", "seed", "dataSeed", "dataCursor", "optimizer")) {
            assertTrue(trainer.has(field), "trainer." + field + " missing");
        }
        for (String field : List.of("specSha256", "schedule", "baseLr", "versions", "fingerprint", "metrics")) {
            assertTrue(state.has(field), field + " missing");
        }
        JsonNode fingerprint = state.path("fingerprint");
        assertEquals("AVX2,STRICT", fingerprint.path("mklCbwr").asText());
        assertEquals("avx2", fingerprint.path("atenCpuCapability").asText());
        assertEquals(1, fingerprint.path("intraOpThreads").asInt());
        for (String field : List.of("cpuVendor", "cpuModel", "isa", "djl", "pytorch", "java")) {
            assertFalse(fingerprint.path(field).asText().isBlank(), "fingerprint." + field + " missing");
        }
        assertTrue(state.path("versions").has("pytorch"));
        assertEquals(trainer.path("loss").asDouble(), state.path("metrics").path("loss").asDouble());
    }

    @Test
    void successEventCarriesTheFinalHashAndHeartbeatsWereSent() {
        AttemptSucceeded done = RunEvents.one(runId, AttemptSucceeded.class);
        assertEquals(finalHash, done.finalParamsSha256());
        assertEquals(250, done.step());
        assertTrue(RunEvents.one(runId, Heartbeat.class).pid() > 0);
    }

    private static NDArray firstWeight(Map<String, NDArray> byName) {
        return byName.entrySet().stream().filter(e -> e.getKey().endsWith("weight")).sorted(Map.Entry.comparingByKey())
                .findFirst().orElseThrow().getValue();
    }
}
