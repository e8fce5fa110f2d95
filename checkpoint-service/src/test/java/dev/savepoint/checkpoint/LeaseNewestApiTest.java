package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lease-newest ({@code POST /api/runs/{runId}/checkpoints/latest/lease}) and replaced checkpoints in the history API:
 * a later attempt's checkpoint at a step an earlier attempt committed replaces it, is the resume point, and the
 * replaced one is deleted by retention with the reason shown.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class LeaseNewestApiTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @Inject
    GcExecutor gc;

    private TestCheckpoints checkpoints;

    @BeforeEach
    void connect() {
        checkpoints = new TestCheckpoints(s3, config.s3().bucket());
    }

    @Test
    void aLaterAttemptsCheckpointAtTheSameStepReplacesTheEarlierOneAndIsWhatLeaseNewestReturns() {
        // Not cps-: the test profile's retention leaves this run alone until the test collects it itself.
        String runId = "lnw-replaced-" + UUID.randomUUID().toString().substring(0, 8);
        startRun(runId);
        String a1s10 = commit(runId, 10, 1);
        String a1s20 = commit(runId, 20, 1);
        String a2s20 = commit(runId, 20, 2);

        given().get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200)
                .body("items.id", equalTo(List.of(a1s10, a1s20, a2s20)))
                .body("items.replacedBy", equalTo(java.util.Arrays.asList(null, a2s20, null)))
                .body("items.resumePoint", equalTo(List.of(false, false, true)))
                .body("items[1].retention.deleteReason", equalTo("replaced"))
                .body("items[2].retention.keptBy", equalTo("newest"))
                .body("items[0].retention.keptBy", equalTo("keepLast"));
        given().get("/api/runs/{runId}/checkpoints/latest", runId).then().statusCode(200)
                .body("id", equalTo(a2s20)).body("resumePoint", equalTo(true));

        given().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 300, "holder", runId + "/attempt-3"))
                .post("/api/runs/{runId}/checkpoints/latest/lease", runId).then().statusCode(201)
                .body("checkpoint.id", equalTo(a2s20)).body("checkpoint.state", equalTo("COMMITTED"))
                .body("checkpoint.prefix", notNullValue()).body("checkpoint.files.size()", equalTo(3))
                .body("checkpoint.resumePoint", equalTo(true)).body("checkpoint.replacedBy", nullValue())
                .body("lease.leaseId", notNullValue()).body("lease.expiresAt", notNullValue())
                .body("lease.checkpointId", equalTo(a2s20)).body("lease.holder", equalTo(runId + "/attempt-3"));

        gc.collect(runId);
        given().get("/api/checkpoints/{id}", a1s20).then().body("state", equalTo("DELETED"));
        given().get("/api/checkpoints/{id}", a1s10).then().body("state", equalTo("COMMITTED"));
    }

    @Test
    void leaseNewestTellsAnUnknownRunFromAKnownRunWithoutACommittedCheckpoint() {
        String unknown = "cps-never-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 300, "holder", "h"))
                .post("/api/runs/{runId}/checkpoints/latest/lease", unknown).then().statusCode(404)
                .body("reason", equalTo("RUN_UNKNOWN")).body("message", containsString("unknown to the catalog"))
                .body("message", containsString(unknown));

        String known = TestCheckpoints.runId("nocommit");
        startRun(known);
        given().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 300, "holder", "h"))
                .post("/api/runs/{runId}/checkpoints/latest/lease", known).then().statusCode(404)
                .body("reason", equalTo("NO_COMMITTED_CHECKPOINT"))
                .body("message", containsString("no committed checkpoint yet"));
    }

    @Test
    void leaseNewestNeedsAWellFormedBodyNamingTheField() {
        String runId = TestCheckpoints.runId("lnwbody");
        String path = "/api/runs/{runId}/checkpoints/latest/lease";
        given().contentType(ContentType.JSON).body("{\"holder\": \"h\"}").post(path, runId).then().statusCode(400)
                .body("message", containsString("ttlSeconds"));
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": 30}").post(path, runId).then().statusCode(400)
                .body("message", containsString("holder"));
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": 0, \"holder\": \"h\"}").post(path, runId)
                .then().statusCode(400).body("message", containsString("ttlSeconds"));
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": \"soon\", \"holder\": \"h\"}").post(path, runId)
                .then().statusCode(400).body("message", containsString("ttlSeconds"));
        given().contentType(ContentType.JSON).post(path, runId).then().statusCode(400)
                .body("message", containsString("request body is required"));
    }

    private void startRun(String runId) {
        RetentionSpec keepTen = new RetentionSpec(10, 0, "loss", "min", 0, null);
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(keepTen), null, null, "h", 1L));
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then().statusCode(200)
                .body("retention.keepLast", equalTo(10)));
    }

    private String commit(String runId, long step, int attempt) {
        CheckpointWritten e = checkpoints.store(runId, step, attempt, 1.0 / step);
        checkpoints.send(Topics.CHECKPOINTS, e);
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", e.checkpointId()).then()
                .statusCode(200).body("state", equalTo("COMMITTED")));
        return e.checkpointId();
    }
}
