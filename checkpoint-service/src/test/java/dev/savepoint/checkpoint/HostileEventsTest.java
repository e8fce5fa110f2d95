package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.HostileRecords;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.RestFuzz;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seeded burst of hostile records (local-stack's HostileRecords: forged, tampered, unreadable, oversize) on both
 * topics this service reads, the batch consumer of savepoint.checkpoints included, then one valid event on each:
 * every hostile record is in the topic's .dlq twin with a classified reason, and the valid events after them are
 * processed (the checkpoint is committed, the run is RUNNING): no consumer is stuck.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    @Test
    void hostileRecordsAreDeadLetteredWithAReasonAndTheValidEventsAfterThemApply() {
        long seed = RestFuzz.seed();
        System.out.printf("HostileEventsTest: seed %d (repeat with -D%s=%d)%n", seed, RestFuzz.SEED_PROPERTY, seed);
        String runId = TestCheckpoints.runId("hostile");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        try (TopicTail runsDlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS));
                TopicTail checkpointsDlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            AttemptStarted started = AttemptStarted.of(runId, 1, Specs.withRetention(RetentionSpec.defaults()),
                    null, null, "node-a", 11L);
            CheckpointWritten written = checkpoints.store(runId, 100, 1, 0.4);
            List<HostileRecords.Hostile> onRuns = HostileRecords.generate(started, seed, 30);
            List<HostileRecords.Hostile> onCheckpoints = HostileRecords.generate(written, seed + 1, 30);

            List<Long> runOffsets = HostileRecords.sendBurst(Topics.RUNS, runId, onRuns);
            List<Long> checkpointOffsets = HostileRecords.sendBurst(Topics.CHECKPOINTS, runId, onCheckpoints);
            KafkaTestClient.send(Topics.RUNS, started);
            checkpoints.send(Topics.CHECKPOINTS, written);

            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", written.checkpointId())
                    .then().statusCode(200).body("state", equalTo("COMMITTED")));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                    .statusCode(200).body("state", equalTo("RUNNING")));
            assertParkedWithReasons(runsDlq, Topics.RUNS, runId, runOffsets, onRuns);
            assertParkedWithReasons(checkpointsDlq, Topics.CHECKPOINTS, runId, checkpointOffsets, onCheckpoints);
        }
    }

    private static void assertParkedWithReasons(TopicTail dlq, String topic, String runId, List<Long> offsets,
            List<HostileRecords.Hostile> sent) {
        Map<Long, String> reasons = HostileRecords.awaitParked(dlq, topic, runId, offsets, DEADLINE);
        assertEquals(offsets.size(), reasons.size(), reasons.toString());
        for (int i = 0; i < offsets.size(); i++) {
            String reason = reasons.get(offsets.get(i));
            assertTrue(HostileRecords.isRefusal(reason), sent.get(i) + " parked with reason: " + reason);
        }
    }
}
