package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.security.Role;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint a run was forked from is held for the fork (POST /api/checkpoints/{id}/forks, the scheduler's call):
 * retention keeps it as forkBase while it would delete its neighbours, a user's delete is refused naming the fork,
 * until the child has committed a checkpoint of its own, which releases it; only an existing, COMMITTED checkpoint of
 * the named run can be held.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ForkBaseTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @Inject
    GcExecutor gc;

    private static io.restassured.response.ValidatableResponse hold(String checkpointId, String runId, String child) {
        return given().auth().oauth2(TestStack.token(Role.TRAINER)).contentType(ContentType.JSON)
                .body("{\"runId\": \"" + runId + "\", \"childRunId\": \"" + child + "\"}")
                .post("/api/checkpoints/{id}/forks", checkpointId).then();
    }

    @Test
    void aForkBaseOutlivesRetentionAndRefusesDeletes() {
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        String runId = TestCheckpoints.runId("forkbase");
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 1,
                Specs.withRetention(new RetentionSpec(1, 0, "loss", "min", 0, null)), null, null, "h", 1L));
        CheckpointWritten base = checkpoints.store(runId, 10, 1, 0.5);
        checkpoints.send(Topics.CHECKPOINTS, base);
        awaitState(base.checkpointId(), "COMMITTED");
        String child = TestCheckpoints.runId("forkchild");

        hold(base.checkpointId(), runId, child).statusCode(201).body("id", equalTo(base.checkpointId()));
        hold(base.checkpointId(), runId, child).statusCode(201); // idempotent
        CheckpointWritten next = checkpoints.store(runId, 20, 1, 0.4);
        CheckpointWritten newest = checkpoints.store(runId, 30, 1, 0.3);
        checkpoints.send(Topics.CHECKPOINTS, next);
        checkpoints.send(Topics.CHECKPOINTS, newest);
        awaitState(newest.checkpointId(), "COMMITTED");
        gc.collect(runId);

        awaitState(next.checkpointId(), "DELETED");
        given().get("/api/checkpoints/{id}", base.checkpointId()).then().body("state", equalTo("COMMITTED"));
        given().queryParam("size", 500).get("/api/runs/{runId}/checkpoints", runId).then()
                .body("items.find { it.id == '" + base.checkpointId() + "' }.retention.keptBy", equalTo("forkBase"));
        given().delete("/api/checkpoints/{id}", base.checkpointId()).then().statusCode(409)
                .body("message", containsString(child));

        // The child starts from the base and commits a checkpoint of its own: it resumes from that one from now
        // on, so the base is released and the parent's retention deletes it like any other.
        checkpoints.send(Topics.RUNS, AttemptStarted.of(child, 1, Specs.withRetention(RetentionSpec.defaults()),
                null, null, "h", 1L));
        CheckpointWritten childOwn = checkpoints.store(child, 40, 1, 0.2);
        checkpoints.send(Topics.CHECKPOINTS, childOwn);
        awaitState(childOwn.checkpointId(), "COMMITTED");
        gc.collect(runId);
        awaitState(base.checkpointId(), "DELETED");
        awaitState(newest.checkpointId(), "COMMITTED");
    }

    @Test
    void onlyACommittedCheckpointOfTheNamedRunIsHeld() {
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        String runId = TestCheckpoints.runId("forkrefused");
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(RetentionSpec.defaults()),
                null, null, "h", 1L));
        CheckpointWritten base = checkpoints.store(runId, 10, 1, 0.5);
        checkpoints.send(Topics.CHECKPOINTS, base);
        awaitState(base.checkpointId(), "COMMITTED");

        hold(UUID.randomUUID().toString(), runId, "c1").statusCode(404);
        hold(base.checkpointId(), "another-run", "c1").statusCode(400).body("message", containsString("runId"));
        hold(base.checkpointId(), runId, "../x").statusCode(400).body("message", containsString("childRunId"));
        given().auth().oauth2(TestStack.token(Role.OPERATOR)).contentType(ContentType.JSON)
                .body("{\"message\": \"test\"}").post("/api/checkpoints/{id}/corrupt", base.checkpointId()).then()
                .statusCode(200);
        hold(base.checkpointId(), runId, "c1").statusCode(409).body("message", containsString("CORRUPT"));
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId).then()
                .statusCode(200).body("state", equalTo(state)));
    }
}
