package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CheckpointCommitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    private TestCheckpoints checkpoints;
    private TopicTail topic;

    @BeforeEach
    void connect() {
        checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        topic = TopicTail.fromNow(Topics.CHECKPOINTS);
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void sameEventDeliveredTwiceMakesOneRowAndOneCommit() {
        String runId = TestCheckpoints.runId("dup");
        CheckpointWritten first = checkpoints.store(runId, 100, 1, 0.9);
        checkpoints.send(Topics.CHECKPOINTS, first);
        checkpoints.send(Topics.CHECKPOINTS, first);
        CheckpointWritten marker = checkpoints.store(runId, 200, 1, 0.8);
        checkpoints.send(Topics.CHECKPOINTS, marker); // same key, same partition: processed after both copies

        awaitState(marker.checkpointId(), "COMMITTED");
        given().get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200)
                .body("total", equalTo(2)).body("items[0].id", equalTo(first.checkpointId()))
                .body("items[0].state", equalTo("COMMITTED")).body("items[0].metrics.loss", equalTo(0.9f));
        await().atMost(DEADLINE).pollInSameThread().until(
                () -> topic.events(CheckpointCommitted.class, e -> runId.equals(e.runId())).size() >= 2);
        List<String> commitIds = topic.events(CheckpointCommitted.class, e -> runId.equals(e.runId())).stream()
                .filter(e -> e.checkpointId().equals(first.checkpointId())).map(CheckpointCommitted::id)
                .distinct().toList();
        assertEquals(1, commitIds.size(), "one CheckpointCommitted identity for the duplicated checkpoint");
    }

    @Test
    void oneBurstWithARedeliveryAndAReannouncementCommitsEachCheckpointOnce() {
        String runId = TestCheckpoints.runId("burst");
        CheckpointWritten first = checkpoints.store(runId, 100, 1, 0.9);
        CheckpointWritten again = CheckpointWritten.of(runId, first.attempt(), first.checkpointId(), first.step(),
                first.epoch(), first.samplesSeen(), first.bucket(), first.prefix(), first.files(), first.metrics());
        CheckpointWritten second = checkpoints.store(runId, 200, 1, 0.8);
        // one burst on one key: the consumer reads it as one batch (or a few), applied set-wise
        KafkaTestClient.sendAll(Topics.CHECKPOINTS, List.of(first, first, again, second, second));

        awaitState(second.checkpointId(), "COMMITTED");
        given().get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200).body("total", equalTo(2))
                .body("items[0].state", equalTo("COMMITTED")).body("items[1].state", equalTo("COMMITTED"));
        await().atMost(DEADLINE).pollInSameThread().until(
                () -> topic.events(CheckpointCommitted.class, e -> runId.equals(e.runId())).size() >= 2);
        List<String> identities = topic.events(CheckpointCommitted.class, e -> runId.equals(e.runId())).stream()
                .map(e -> e.checkpointId() + "/" + e.id()).distinct().sorted().toList();
        assertEquals(2, identities.size(), "one CheckpointCommitted identity per checkpoint: " + identities);
    }

    @Test
    void checkpointOfAnAttemptOlderThanTheNewestIsRejectedAsStale() {
        String runId = TestCheckpoints.runId("stale");
        checkpoints.send(Topics.CHECKPOINTS, checkpoints.store(runId, 300, 2, 0.5));
        CheckpointWritten zombie = checkpoints.store(runId, 250, 1, 0.6);
        checkpoints.send(Topics.CHECKPOINTS, zombie);

        CheckpointRejected rejected = awaitRejection(runId, zombie.checkpointId());
        assertEquals(RejectReason.STALE_ATTEMPT, rejected.reason());
        given().get("/api/checkpoints/{id}", zombie.checkpointId()).then().statusCode(200)
                .body("state", equalTo("REJECTED")).body("rejectReason", equalTo("STALE_ATTEMPT"));
        given().get("/api/runs/{runId}/checkpoints/latest", runId).then().statusCode(200).body("step", equalTo(300));
    }

    @Test
    void attemptStartedOnTheRunsTopicFencesOlderAttempts() {
        String runId = TestCheckpoints.runId("fence");
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 3, Specs.withRetention(RetentionSpec.defaults()),
                null, null, "host", 1L));
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                .statusCode(200).body("currentAttempt", equalTo(3)));
        CheckpointWritten zombie = checkpoints.store(runId, 100, 2, 0.6);
        checkpoints.send(Topics.CHECKPOINTS, zombie);

        assertEquals(RejectReason.STALE_ATTEMPT, awaitRejection(runId, zombie.checkpointId()).reason());
    }

    /** The scheduler holds an attempt's success to this hash: computed here from the stored model, not taken. */
    @Test
    void aCommitCarriesTheHashOfTheStoredParameters() {
        String runId = TestCheckpoints.runId("params");
        CheckpointWritten written = checkpoints.store(runId, 100, 1, 0.7);
        checkpoints.send(Topics.CHECKPOINTS, written);

        await().atMost(DEADLINE).pollInSameThread().until(() -> !topic.events(CheckpointCommitted.class,
                e -> written.checkpointId().equals(e.checkpointId())).isEmpty());
        CheckpointCommitted committed = topic.events(CheckpointCommitted.class,
                e -> written.checkpointId().equals(e.checkpointId())).get(0);
        assertEquals(TestCheckpoints.paramsSha256(100, 1), committed.paramsSha256());
    }

    @Test
    void objectNotMatchingItsManifestIsRejectedAsHashMismatch() {
        String runId = TestCheckpoints.runId("hash");
        CheckpointWritten written = checkpoints.store(runId, 100, 1, 0.7);
        checkpoints.put(written.prefix() + "model.safetensors", TestCheckpoints.bytes(new Random(1), 512));
        checkpoints.send(Topics.CHECKPOINTS, written);

        CheckpointRejected rejected = awaitRejection(runId, written.checkpointId());
        assertEquals(RejectReason.HASH_MISMATCH, rejected.reason());
        given().get("/api/checkpoints/{id}", written.checkpointId()).then()
                .body("state", equalTo("REJECTED")).body("message", containsString("model.safetensors"));
    }

    @Test
    void eventThatDisagreesWithTheManifestIsRejectedAsManifestMismatch() {
        String runId = TestCheckpoints.runId("mismatch");
        CheckpointWritten stored = checkpoints.store(runId, 100, 1, 0.7);
        List<ManifestFile> fewer = stored.files().subList(0, 2);
        CheckpointWritten lying = CheckpointWritten.of(runId, 1, stored.checkpointId(), 100, 1, 8L, stored.bucket(),
                stored.prefix(), fewer, stored.metrics());
        checkpoints.send(Topics.CHECKPOINTS, lying);

        assertEquals(RejectReason.MANIFEST_MISMATCH, awaitRejection(runId, stored.checkpointId()).reason());
    }

    @Test
    void checkpointWithoutManifestIsRejectedAsManifestMissing() {
        String runId = TestCheckpoints.runId("nomanifest");
        CheckpointWritten stored = checkpoints.store(runId, 100, 1, 0.7);
        CheckpointWritten elsewhere = CheckpointWritten.of(runId, 1, stored.checkpointId(), 100, 1, 8L,
                stored.bucket(), "runs/" + runId + "/checkpoints/missing/", stored.files(), stored.metrics());
        checkpoints.send(Topics.CHECKPOINTS, elsewhere);

        assertEquals(RejectReason.MANIFEST_MISSING, awaitRejection(runId, stored.checkpointId()).reason());
    }

    private CheckpointRejected awaitRejection(String runId, String checkpointId) {
        return await().atMost(DEADLINE).pollInSameThread().until(
                () -> topic.events(CheckpointRejected.class, e -> runId.equals(e.runId())).stream()
                        .filter(e -> e.checkpointId().equals(checkpointId)).findFirst().orElse(null),
                e -> e != null);
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId).then()
                .statusCode(200).body("state", equalTo(state)));
    }
}
