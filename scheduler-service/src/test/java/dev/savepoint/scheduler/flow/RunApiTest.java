package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The runs API: validation, not-found, cancel and resume. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class RunApiTest {

    @Test
    void invalidSpecIsRefusedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body(Fixtures.spec("bad", 3, 5).replace("\"lr\": 0.1", "\"lr\": -1"))
                .when().post("/api/runs").then().statusCode(400).body("message", containsString("optimizer.lr"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\"}").when().post("/api/runs").then()
                .statusCode(400).body("message", containsString("maxSteps"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"maxSteps\": 10}").when().post("/api/runs")
                .then().statusCode(400).body("message", containsString("seed"));
    }

    @Test
    void unknownRunIs404NamingTheId() {
        given().when().get("/api/runs/no-such-run").then().statusCode(404)
                .body("message", containsString("no-such-run"));
    }

    @Test
    void cancelStopsTheAttemptAndResumeLaunchesTheNext() {
        String runId = submit(Fixtures.spec("cancel-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            given().when().post("/api/runs/" + runId + "/cancel").then().statusCode(200)
                    .body("state", equalTo("CANCELLED"));
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(CancelAttempt.class).size() == 1);
            // The attempt's own PREEMPTED report after the cancel changes nothing.
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.PREEMPTED, "SIGTERM", 6, null, 3L,
                    "attempt", null));
            given().when().post("/api/runs/" + runId + "/resume").then().statusCode(200)
                    .body("state", equalTo("LAUNCHING")).body("currentAttempt", equalTo(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().post("/api/runs/" + runId + "/resume").then().statusCode(409)
                    .body("message", containsString("LAUNCHING"));
        }
    }
}
