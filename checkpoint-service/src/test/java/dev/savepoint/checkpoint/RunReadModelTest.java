package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class RunReadModelTest {

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    @Test
    void runEventsBuildTheRunWithItsAttemptHistoryAndFinalHash() {
        String runId = TestCheckpoints.runId("runs");
        TestCheckpoints events = new TestCheckpoints(s3, config.s3().bucket());
        var spec = Specs.withRetention(new RetentionSpec(5, 1, "loss", "min", 0, null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "node-a", 11L));
        events.send(Topics.RUNS, Heartbeat.of(runId, 1, 40, 0, 320L, 0.01, 0.7, 10.0, 4, 11L, 30L, 2_500L));
        events.send(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL", 40L,
                "trainer-service", null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 2, spec, "ckpt-1", 30L, "node-b", 12L));
        events.send(Topics.RUNS, AttemptSucceeded.of(runId, 2, 1000, "ab".repeat(32), 0.1, 10, 2));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}", runId)
                .then().statusCode(200).body("state", equalTo("SUCCEEDED")));
        given().get("/api/runs/{runId}", runId).then().body("currentAttempt", equalTo(2))
                .body("currentStep", equalTo(1000)).body("finalParamsSha256", equalTo("ab".repeat(32)))
                .body("retention.keepLast", equalTo(5)).body("name", equalTo("cps-test"));
        given().get("/api/runs/{runId}/attempts", runId).then().statusCode(200).body("", hasSize(2))
                .body("[0].state", equalTo("FAILED")).body("[0].cause", equalTo("KILLED"))
                .body("[0].exitCode", equalTo(137)).body("[0].lastStep", equalTo(40))
                .body("[0].endedAt", notNullValue()).body("[0].startedAt", notNullValue())
                .body("[1].state", equalTo("SUCCEEDED")).body("[1].resumedFromCheckpointId", equalTo("ckpt-1"))
                .body("[0].checkpointsSkipped", equalTo(4)).body("[0].newestDurableStep", equalTo(30))
                .body("[0].newestDurableAgeMillis", equalTo(2500))
                .body("[1].checkpointsSkipped", equalTo(2)).body("[1].newestDurableStep", equalTo(1000))
                .body("[1].newestDurableAgeMillis", equalTo(0));
        given().queryParam("size", 500).get("/api/runs").then().statusCode(200).body("total", notNullValue());
    }
}
