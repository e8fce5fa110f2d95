package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.TestStack;
import dev.savepoint.stack.TopicTail;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** checkpoint-service SIGKILLed in the middle of a burst of checkpoint events commits each one exactly once. */
class CheckpointServiceKilledIT {

    static final int BURST = 500;

    @Test
    void serviceKilledDuringABurstCommitsEveryCheckpointExactlyOnce() throws Exception {
        Cluster cluster = Cluster.get();
        Map<String, String> c = TestStack.shared().serviceConfig();
        String runId = "e2e-burst-" + UUID.randomUUID().toString().substring(0, 8);
        List<CheckpointWritten> events = storeCheckpoints(c, runId);
        RunSpec keepAll = Json.read(Specs.mlp("burst", 100, Specs.MANY_RESTARTS, "{\"keepLast\": 100000}"),
                RunSpec.class);
        KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, 1, keepAll, null, null, "e2e", 1L));
        KafkaTestClient.sendAll(Topics.CHECKPOINTS, events);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> committedRows(c, runId) >= 150); // consuming, far from done
        cluster.killService("checkpoint-service");
        long atKill = committedRows(c, runId);
        cluster.startService("checkpoint-service");

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> committedRows(c, runId) == BURST);
        System.out.printf("burst: %d of %d committed when checkpoint-service was SIGKILLed; all %d after restart%n",
                atKill, BURST, BURST);
        assertTrue(atKill < BURST, "the kill came too late to test anything");
        Map<String, Set<String>> commitIdsByCheckpoint = committedEvents(runId);
        assertEquals(BURST, commitIdsByCheckpoint.size());
        commitIdsByCheckpoint.forEach((checkpoint, ids) -> assertEquals(1, ids.size(),
                "checkpoint " + checkpoint + " was committed under several event ids: " + ids));
    }

    private static List<CheckpointWritten> storeCheckpoints(Map<String, String> c, String runId) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(c.get("savepoint.s3.endpoint"))
                .credentials(c.get("savepoint.s3.access-key"), c.get("savepoint.s3.secret-key")).build();
        List<CheckpointWritten> events = new ArrayList<>();
        for (int i = 1; i <= BURST; i++) {
            long step = i * 10L;
            String prefix = CheckpointManifest.prefix(runId, step, 1);
            byte[] model = ("weights of step " + step).getBytes();
            ManifestFile file = new ManifestFile("model.safetensors", model.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model)));
            String id = CheckpointManifest.checkpointId(runId, step, 1);
            put(s3, c.get("savepoint.s3.bucket"), prefix + file.name(), model);
            put(s3, c.get("savepoint.s3.bucket"), prefix + CheckpointManifest.FILE_NAME,
                    Json.write(new CheckpointManifest(0, id, runId, 1, step, null, List.of(file))));
            events.add(CheckpointWritten.of(runId, 1, id, step, 0, step * 64, c.get("savepoint.s3.bucket"), prefix,
                    List.of(file), Map.of("loss", 1.0 / i)));
        }
        return events;
    }

    private static void put(MinioClient s3, String bucket, String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }

    private static long committedRows(Map<String, String> c, String runId) throws Exception {
        try (Connection db = DriverManager.getConnection(c.get("quarkus.datasource.jdbc.url"),
                c.get("quarkus.datasource.username"), c.get("quarkus.datasource.password"));
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from e2e_checkpoints.checkpoints where run_id = '"
                        + runId + "' and state = 'COMMITTED'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the schema may not exist yet while the service migrates
        }
    }

    /** Checkpoint id -> the ids of the CheckpointCommitted events seen for it on the topic. */
    private static Map<String, Set<String>> committedEvents(String runId) {
        try (TopicTail topic = TopicTail.fromStart(Topics.CHECKPOINTS, runId)) {
            KafkaTestClient.await(Duration.ofSeconds(30), "a CheckpointCommitted of every checkpoint",
                    () -> byCheckpoint(topic).size() == BURST);
            return byCheckpoint(topic);
        }
    }

    private static Map<String, Set<String>> byCheckpoint(TopicTail topic) {
        Map<String, Set<String>> ids = new HashMap<>();
        topic.events(CheckpointCommitted.class, e -> true)
                .forEach(cc -> ids.computeIfAbsent(cc.checkpointId(), k -> new HashSet<>()).add(cc.id()));
        return ids;
    }
}
