package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.storage.FlakyObjectStore;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consumer failure policy on both topics this service reads, against the real broker, database and S3. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsumerFailurePolicyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @Inject
    FlakyObjectStore store;

    @Test
    void tombstoneOnTheCheckpointTopicIsDeadLetteredAndTheNextCheckpointIsCommitted() {
        String runId = TestCheckpoints.runId("tomb-ckpt");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            KafkaTestClient.send(Topics.CHECKPOINTS, runId, null);
            CheckpointWritten good = checkpoints.store(runId, 100, 1, 0.4);
            checkpoints.send(Topics.CHECKPOINTS, good); // same key, same partition: after the tombstone

            awaitState(good.checkpointId(), "COMMITTED");
            assertTombstoneParked(awaitReasons(dlq, runId, 1));
        }
    }

    @Test
    void tombstoneOnTheRunTopicIsDeadLetteredAndTheNextRunEventIsApplied() {
        String runId = TestCheckpoints.runId("tomb-runs");
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            KafkaTestClient.send(Topics.RUNS, runId, null);
            KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(RetentionSpec.defaults()),
                    null, null, "node-a", 11L));

            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                    .statusCode(200).body("state", equalTo("RUNNING")));
            assertTombstoneParked(awaitReasons(dlq, runId, 1));
        }
    }

    @Test
    void unreadableRecordsGoToTheDlqWithTheReasonAndTheGoodEventAfterThemIsCommitted() {
        String runId = TestCheckpoints.runId("poison");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{not json"));
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{\"type\":\"NoSuchEvent\",\"runId\":\"" + runId
                    + "\",\"attempt\":1}"));
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{\"type\":\"CheckpointWritten\",\"schemaVersion\":1,"
                    + "\"runId\":\"" + runId + "\",\"attempt\":1,\"step\":5,\"bucket\":\"savepoint\","
                    + "\"prefix\":\"runs/x/\",\"files\":[]}")); // everything but checkpointId
            CheckpointWritten good = checkpoints.store(runId, 100, 1, 0.4);
            checkpoints.send(Topics.CHECKPOINTS, good);

            awaitState(good.checkpointId(), "COMMITTED");
            List<String> reasons = awaitReasons(dlq, runId, 3);
            assertEquals(3, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains("is unreadable: invalid SavepointEvent"), reasons.get(0));
            assertTrue(reasons.get(1).contains("unknown event type 'NoSuchEvent'"), reasons.get(1));
            assertTrue(reasons.get(2).contains("checkpointId"), reasons.get(2));
            byte[] first = dlq.records().stream().filter(r -> runId.equals(r.key())).findFirst().orElseThrow().value();
            assertEquals("{not json", new String(first, StandardCharsets.UTF_8));
        }
    }

    @Test
    void checkpointWhoseVerificationMeetsAnS3OutageIsRetriedAndCommittedNotDeadLettered() {
        String runId = TestCheckpoints.runId("s3-flaky");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        CheckpointWritten written = checkpoints.store(runId, 100, 1, 0.4);
        String manifest = written.prefix() + CheckpointManifest.FILE_NAME;
        store.failNextReadsOf(manifest, 3);
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            checkpoints.send(Topics.CHECKPOINTS, written);

            awaitState(written.checkpointId(), "COMMITTED");
            assertEquals(3, store.readFailuresThrown(manifest), "every injected S3 failure was met and retried");
            CheckpointWritten marker = checkpoints.store(runId, 200, 1, 0.3);
            checkpoints.send(Topics.CHECKPOINTS, marker); // once it is committed, anything parked before it is visible
            awaitState(marker.checkpointId(), "COMMITTED");
            assertEquals(List.of(), reasons(dlq, runId));
        }
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId).then()
                .statusCode(200).body("state", equalTo(state)));
    }

    private static List<String> awaitReasons(TopicTail dlq, String runId, int count) {
        await().atMost(DEADLINE).until(() -> reasons(dlq, runId).size() >= count);
        return reasons(dlq, runId);
    }

    /** The reasons of the dead letters of this run so far. */
    private static List<String> reasons(TopicTail dlq, String runId) {
        return dlq.records().stream().filter(r -> runId.equals(r.key()))
                .map(r -> DeadLetters.reason(r).orElse("<no reason header>")).toList();
    }

    private static void assertTombstoneParked(List<String> reasons) {
        assertEquals(1, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("is unreadable: null value (tombstone)"), reasons.get(0));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
