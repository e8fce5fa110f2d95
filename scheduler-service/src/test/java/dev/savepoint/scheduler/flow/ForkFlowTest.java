package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A fork resumes from its parent's checkpoint with the parent's spec (so it continues as the parent would have), is
 * held in checkpoint-service for the fork before the fork exists, keeps resuming there until it commits a checkpoint
 * of its own, and records its lineage; refusals name the field.
 */
@QuarkusTest
@TestProfile(CallsAfterCommitTest.StubCatalog.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ForkFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static String parent() {
        return submit(Fixtures.spec("fork-" + UUID.randomUUID().toString().substring(0, 8), 5, 5));
    }

    private static String known(String runId, long step, String state) {
        String id = UUID.randomUUID().toString();
        CatalogStub.started().know(new CatalogStub.Known(id, runId, step, state));
        return id;
    }

    private static io.restassured.response.ValidatableResponse fork(String runId, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/runs/" + runId + "/fork").then();
    }

    @Test
    void aForkWithoutOverridesResumesFromTheCheckpointWithItsParentsSpecUntilItCommitsItsOwn() {
        String parentId = parent();
        String checkpoint = known(parentId, 40, "COMMITTED");
        String childId = fork(parentId, "{\"checkpointId\": \"" + checkpoint + "\"}").statusCode(201)
                .body("parentRunId", equalTo(parentId)).body("parentCheckpointId", equalTo(checkpoint))
                .extract().path("runId");
        assertNotEquals(parentId, childId);
        var holds = CatalogStub.started().calls("fork", checkpoint);
        assertEquals(1, holds.size());
        assertTrue(holds.get(0).detail().contains("\"childRunId\":\"" + childId + "\""), holds.get(0).detail());

        try (FakeWorker worker = new FakeWorker(childId)) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            LaunchAttempt first = worker.commands(LaunchAttempt.class).get(0);
            assertEquals(checkpoint, first.resumeFromCheckpointId());
            assertEquals(Json.writeString(Fixtures.runSpec(parentId)), Json.writeString(first.spec()),
                    "the fork trains with its parent's spec, so it continues bit for bit as the parent would have");

            RunSpec spec = first.spec();
            worker.publish(Topics.RUNS, AttemptStarted.of(childId, 1, spec, checkpoint, 40L, "test", 1L));
            worker.publish(Topics.RUNS, AttemptFailed.of(childId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL",
                    45L, "trainer-service", null));
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            assertEquals(checkpoint, worker.commands(LaunchAttempt.class).get(1).resumeFromCheckpointId(),
                    "no checkpoint of its own yet: the fork resumes from its parent's again");

            worker.publish(Topics.RUNS, AttemptStarted.of(childId, 2, spec, checkpoint, 40L, "test", 2L));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(childId, 2, "ck-60", 60L, 10L));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/" + childId + "/attempts").then()
                    .body("[1].state", equalTo("RUNNING")));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/" + childId).then()
                    .body("newestCommittedStep", equalTo(60)));
            worker.publish(Topics.RUNS, AttemptFailed.of(childId, 2, FailureReason.KILLED, "SIGKILL", 137, "KILL",
                    65L, "trainer-service", null));
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 3);
            assertEquals("latest", worker.commands(LaunchAttempt.class).get(2).resumeFromCheckpointId());
        }
        given().get("/api/runs").then().body("find { it.runId == '" + childId + "' }.parentRunId",
                equalTo(parentId));
    }

    @Test
    void overridesChangeOnlyWhatTheyName() {
        String parentId = parent();
        String checkpoint = known(parentId, 40, "COMMITTED");
        String childId = fork(parentId, "{\"checkpointId\": \"" + checkpoint + "\", \"maxSteps\": 300, "
                + "\"learningRate\": 0.05, \"schedule\": {\"type\": \"cosine\", \"warmupSteps\": 10}}")
                .statusCode(201).extract().path("runId");
        try (FakeWorker worker = new FakeWorker(childId)) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            RunSpec spec = worker.commands(LaunchAttempt.class).get(0).spec();
            assertEquals(300, spec.maxSteps());
            assertEquals(0.05, spec.optimizer().lr());
            assertEquals("cosine", spec.schedule().type());
            assertEquals(Fixtures.runSpec(parentId).model(), spec.model());
        }
    }

    @Test
    void refusalsNameTheField() {
        String parentId = parent();
        String other = known("another-run", 40, "COMMITTED");
        String deleted = known(parentId, 20, "DELETED");
        String good = known(parentId, 40, "COMMITTED");

        fork(parentId, "{\"checkpointId\": \"" + UUID.randomUUID() + "\"}").statusCode(400)
                .body("message", containsString("checkpointId")).body("message", containsString("no checkpoint"));
        fork(parentId, "{\"checkpointId\": \"../../x\"}").statusCode(400).body("message", containsString("checkpointId"));
        fork(parentId, "{\"checkpointId\": \"" + other + "\"}").statusCode(400)
                .body("message", containsString("checkpointId")).body("message", containsString("another-run"));
        fork(parentId, "{\"checkpointId\": \"" + deleted + "\"}").statusCode(409)
                .body("message", containsString("checkpointId")).body("message", containsString("DELETED"));
        fork(parentId, "{\"checkpointId\": \"" + good + "\", \"maxSteps\": 40}").statusCode(400)
                .body("message", containsString("maxSteps"));
        fork(parentId, "{\"checkpointId\": \"" + good + "\", \"learningRate\": -1}").statusCode(400)
                .body("message", containsString("learningRate"));
        fork(parentId, "{\"checkpointId\": \"" + good + "\", \"schedule\": {\"type\": \"wavy\"}}").statusCode(400)
                .body("message", containsString("schedule.type"));
        fork(parentId, "{\"checkpointId\": \"" + good + "\", \"lr\": 0.1}").statusCode(400)
                .body("message", containsString("lr"));
        fork("no-such-run", "{\"checkpointId\": \"" + good + "\"}").statusCode(404);
        assertEquals(0, CatalogStub.started().calls("fork", good).size(), "nothing is held for a refused fork");
    }
}
