package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console shows what the catalog knows: runs, attempts with their causes, checkpoints with retention status. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsoleTest {

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    @Test
    void consoleListsTheRunAndShowsItsAttemptsAndCheckpoints() {
        String runId = TestCheckpoints.runId("console");
        TestCheckpoints events = new TestCheckpoints(s3, config.s3().bucket());
        var spec = Specs.withRetention(new RetentionSpec(3, 0, "loss", "min", 0, null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "node-a", 11L));
        events.send(Topics.CHECKPOINTS, events.store(runId, 100, 1, 0.75));
        events.send(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL", 140L,
                "trainer-service", null));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}/checkpoints",
                runId).then().body("items[0].state", equalTo("COMMITTED")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}/attempts",
                runId).then().body("[0].cause", equalTo("KILLED")));

        given().queryParam("page", 0).get("/console").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("/console/runs/" + runId));
        given().get("/console/runs/{runId}", runId).then().statusCode(200)
                .body(containsString("KILLED"))
                .body(containsString("kept: newest"))
                .body(containsString("model.safetensors"));
    }

    /**
     * This module's tests run no scheduler-service (its URL is a port that refuses), while PostgreSQL, S3 and Kafka
     * are up: every page's banner names the scheduler, why, and what it means, and names no other part.
     */
    @Test
    void everyPageSaysWhichPartIsDownAndNamesNoPartThatIsUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/console").then().statusCode(200)
                .body(containsString("<li data-part=\"scheduler-service\">"))
                .body(containsString("not answering at http://127.0.0.1:1"))
                .body(containsString("failures are detected and runs relaunched when it returns")));
        given().get("/console/submit").then().statusCode(200)
                .body(containsString("<li data-part=\"scheduler-service\">"));
        String page = given().get("/console").then().extract().asString();
        for (String up : new String[] {"PostgreSQL (the catalog)", "S3 (the checkpoint files)", "Kafka (the events)"}) {
            org.junit.jupiter.api.Assertions.assertFalse(page.contains("data-part=\"" + up + "\""),
                    up + " is up but the banner names it: " + page);
        }
    }

    @Test
    void unknownRunInTheConsoleIsA404NamingIt() {
        given().get("/console/runs/{runId}", "cps-nope").then().statusCode(404)
                .body(containsString("cps-nope"));
    }
}
