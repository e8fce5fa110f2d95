package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.stack.TestSeed;
import dev.savepoint.stack.TestStack;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The product's promise: attempts killed anywhere, resumed by themselves, the same bits at the end. */
class RepeatedKillsIT {

    static final int STEPS = 1000;

    @Test
    void runSurvivesRepeatedKillsAndEndsBitIdentical() throws Exception {
        Cluster cluster = Cluster.get();
        String reference = cluster.client.submit(Specs.mlp("e2e-reference", STEPS));
        String expected = cluster.awaitDone(reference, Duration.ofMinutes(5)).path("finalParamsSha256").asText();
        assertEquals(64, expected.length());

        try (RunEventLog log = new RunEventLog()) {
            String runId = cluster.client.submit(Specs.mlp("e2e-killed", STEPS));
            log.follow(runId);
            List<Instant> kills = new ArrayList<>();
            TestSeed seed = TestSeed.of("runSurvivesRepeatedKillsAndEndsBitIdentical");
            cluster.awaitCommittedCheckpoint(runId, 100);
            kills.add(killAt(cluster, runId, 1, seed.between(250, 420)));
            kills.add(killDuringUpload(cluster, runId, 2));
            kills.add(killAt(cluster, runId, 3, seed.between(650, 850)));

            JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(5));
            assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
            assertEquals(expected, run.path("finalParamsSha256").asText(), seed.toString());
            assertTrue(run.path("bitExact").asBoolean(), "every resume on one machine is bit-exact: " + run);

            JsonNode attempts = cluster.client.attempts(runId);
            assertEquals(4, attempts.size(), attempts.toString());
            for (int i = 0; i < 3; i++) {
                assertEquals("KILLED", attempts.get(i).path("cause").asText(), attempts.get(i).toString());
                assertNotNull(attempts.get(i + 1).path("resumedFromCheckpointId").textValue(), attempts.toString());
                assertTrue(attempts.get(i + 1).path("resumedFromStep").asLong() >= 100, attempts.toString());
            }
            printRecoveryTimes(log, kills);
        }
    }

    private static Instant killAt(Cluster cluster, String runId, int attempt, long step) {
        long pid = cluster.awaitAttemptPast(runId, attempt, step);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return Instant.now();
    }

    /** Waits for a checkpoint folder of the current attempt that has files but no manifest yet, then kills. */
    private static Instant killDuringUpload(Cluster cluster, String runId, int attempt) throws Exception {
        long pid = cluster.awaitAttemptPast(runId, attempt, 0);
        Map<String, String> c = TestStack.shared().serviceConfig();
        MinioClient s3 = MinioClient.builder().endpoint(c.get("savepoint.s3.endpoint"))
                .credentials(c.get("savepoint.s3.access-key"), c.get("savepoint.s3.secret-key")).build();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> halfWritten(s3, c.get("savepoint.s3.bucket"), runId, attempt));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return Instant.now();
    }

    private static boolean halfWritten(MinioClient s3, String bucket, String runId, int attempt) throws Exception {
        Map<String, List<String>> folders = new HashMap<>();
        for (var r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix("runs/" + runId + "/checkpoints/")
                .recursive(true).build())) {
            String key = r.get().objectName();
            String folder = key.substring(0, key.lastIndexOf('/'));
            folders.computeIfAbsent(folder, k -> new ArrayList<>()).add(key.substring(key.lastIndexOf('/') + 1));
        }
        return folders.entrySet().stream().anyMatch(e -> e.getKey().endsWith("-" + attempt)
                && !e.getValue().contains("manifest.json"));
    }

    /** Kill to the first heartbeat of the next attempt past the step it resumed from. */
    private static void printRecoveryTimes(RunEventLog log, List<Instant> kills) {
        for (int i = 0; i < kills.size(); i++) {
            int next = i + 2;
            long from = log.of(AttemptStarted.class).stream().map(r -> (AttemptStarted) r.event())
                    .filter(e -> e.attempt() == next && e.resumedFromStep() != null)
                    .mapToLong(AttemptStarted::resumedFromStep).findFirst().orElse(0);
            Instant firstStep = log.of(Heartbeat.class).stream()
                    .filter(r -> r.event().attempt() == next && ((Heartbeat) r.event()).step() > from)
                    .map(RunEventLog.Received::at).findFirst().orElse(null);
            assertTrue(firstStep != null, "no heartbeat of attempt " + next + " after its resume");
            System.out.printf("recovery %d: kill -> first step of attempt %d (resumed from step %d): %d ms%n", i + 1,
                    next, from, Duration.between(kills.get(i), firstStep).toMillis());
        }
    }
}
