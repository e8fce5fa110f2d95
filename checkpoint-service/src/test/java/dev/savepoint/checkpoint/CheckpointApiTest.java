package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.security.Role;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CheckpointApiTest {

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    private TestCheckpoints checkpoints;

    @BeforeEach
    void connect() {
        checkpoints = new TestCheckpoints(s3, config.s3().bucket());
    }

    @Test
    void latestReturnsTheNewestCommittedCheckpointWithFilesAndMetrics() {
        String runId = TestCheckpoints.runId("latest");
        List<CheckpointWritten> written = commit(runId, 10, 30, 20);
        CheckpointWritten newest = written.get(1);

        given().get("/api/runs/{runId}/checkpoints/latest", runId).then().statusCode(200)
                .body("id", equalTo(newest.checkpointId())).body("runId", equalTo(runId))
                .body("step", equalTo(30)).body("attempt", equalTo(1)).body("bucket", equalTo(config.s3().bucket()))
                .body("prefix", equalTo(newest.prefix())).body("state", equalTo("COMMITTED"))
                .body("files", hasSize(3)).body("files[0].sha256", equalTo(newest.files().get(0).sha256()))
                .body("metrics.loss", notNullValue());
        given().get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200)
                .body("items.step", equalTo(List.of(10, 20, 30)))
                .body("items[2].retention.keptBy", equalTo("newest"));
    }

    @Test
    void latestOfARunWithoutCheckpointsIs404NamingTheRun() {
        given().get("/api/runs/{runId}/checkpoints/latest", "cps-nobody").then().statusCode(404)
                .body("message", containsString("cps-nobody"));
    }

    @Test
    void deletingTheNewestCommittedCheckpointIs409AndAnOlderOneIsDeleted() {
        String runId = TestCheckpoints.runId("delete");
        List<CheckpointWritten> written = commit(runId, 10, 20);
        given().delete("/api/checkpoints/{id}", written.get(1).checkpointId()).then().statusCode(409)
                .body("message", containsString("newest committed"));

        given().delete("/api/checkpoints/{id}", written.get(0).checkpointId()).then().statusCode(200)
                .body("state", equalTo("DELETED"));
        assertEquals(List.of(), checkpoints.keys(written.get(0).prefix()));
    }

    @Test
    void deletingACheckpointNeedsAnOperator() {
        String runId = TestCheckpoints.runId("delete-access");
        String older = commit(runId, 10, 20).get(0).checkpointId();
        given().auth().none().delete("/api/checkpoints/{id}", older).then().statusCode(401);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).delete("/api/checkpoints/{id}", older).then()
                .statusCode(403);
        given().auth().oauth2(TestStack.token(Role.TRAINER)).delete("/api/checkpoints/{id}", older).then()
                .statusCode(403);
        given().get("/api/checkpoints/{id}", older).then().statusCode(200).body("state", equalTo("COMMITTED"));
        given().auth().oauth2(TestStack.token(Role.OPERATOR)).delete("/api/checkpoints/{id}", older).then()
                .statusCode(200).body("state", equalTo("DELETED"));
    }

    @Test
    void leaseNeedsAWellFormedBodyAndProtectsTheCheckpointFromDeletion() {
        String runId = TestCheckpoints.runId("lease");
        List<CheckpointWritten> written = commit(runId, 10, 20);
        String id = written.get(0).checkpointId();
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": \"soon\", \"holder\": \"r1\"}")
                .post("/api/checkpoints/{id}/lease", id).then().statusCode(400)
                .body("message", containsString("ttlSeconds"));
        given().contentType(ContentType.JSON).body("{\"holder\": \"r1\"}")
                .post("/api/checkpoints/{id}/lease", id).then().statusCode(400)
                .body("message", containsString("ttlSeconds"));
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": 300}")
                .post("/api/checkpoints/{id}/lease", id).then().statusCode(400)
                .body("message", containsString("holder"));
        given().contentType(ContentType.JSON).body("{\"ttlSeconds\": 300, \"holder\": \"r1\"")
                .post("/api/checkpoints/{id}/lease", id).then().statusCode(400).body("message", notNullValue());

        given().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 300, "holder", "restore-1"))
                .post("/api/checkpoints/{id}/lease", id).then().statusCode(201)
                .body("leaseId", notNullValue()).body("expiresAt", notNullValue());
        given().delete("/api/checkpoints/{id}", id).then().statusCode(409).body("message", containsString("leased"));
    }

    @Test
    void fileDownloadStreamsTheStoredBytes() {
        String runId = TestCheckpoints.runId("download");
        CheckpointWritten c = commit(runId, 10).get(0);
        byte[] body = given().get("/api/checkpoints/{id}/files/{name}", c.checkpointId(), "model.safetensors")
                .then().statusCode(200).extract().asByteArray();
        assertEquals(c.files().get(0).sha256(), TestCheckpoints.sha256(body));
        given().get("/api/checkpoints/{id}/files/{name}", c.checkpointId(), "nope.bin").then().statusCode(404)
                .body("message", containsString("nope.bin"));
    }

    @Test
    void corruptCheckpointIsNeverServedAsLatestAgain() {
        String runId = TestCheckpoints.runId("corrupt");
        List<CheckpointWritten> written = commit(runId, 10, 20);
        given().contentType(ContentType.JSON)
                .body(Map.of("fileName", "model.safetensors", "message", "sha256 differs on download"))
                .post("/api/checkpoints/{id}/corrupt", written.get(1).checkpointId()).then().statusCode(200)
                .body("state", equalTo("CORRUPT"));
        given().get("/api/runs/{runId}/checkpoints/latest", runId).then().statusCode(200)
                .body("step", equalTo(10));
    }

    @Test
    void malformedPagingIs400NamingTheParameter() {
        given().queryParam("size", 0).get("/api/runs").then().statusCode(400).body("message", containsString("size"));
        given().queryParam("state", "SOMEWHERE").get("/api/runs/{runId}/checkpoints", "cps-x")
                .then().statusCode(400).body("message", containsString("state"));
    }

    private List<CheckpointWritten> commit(String runId, long... steps) {
        List<CheckpointWritten> written = new java.util.ArrayList<>();
        for (long step : steps) {
            CheckpointWritten e = checkpoints.store(runId, step, 1, 1.0 / step);
            checkpoints.send(Topics.CHECKPOINTS, e);
            written.add(e);
        }
        for (CheckpointWritten e : written) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                    .get("/api/checkpoints/{id}", e.checkpointId()).then().statusCode(200)
                    .body("state", equalTo("COMMITTED")));
        }
        return written;
    }
}
