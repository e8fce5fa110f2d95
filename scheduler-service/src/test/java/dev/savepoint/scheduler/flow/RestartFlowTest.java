package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduler against the real broker and database, with the test playing the trainer's part. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class RestartFlowTest {

    private static String name() {
        return "flow-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void started(FakeWorker worker, String runId, int attempt) {
        worker.publish(Topics.RUNS, AttemptStarted.of(runId, attempt, dev.savepoint.contracts.Json.read(
                Fixtures.spec("x", 3, 5), RunSpec.class), null, null, "test", 1L));
    }

    @Test
    void duplicateFailureEventsCauseExactlyOneRelaunch() {
        String runId = submit(Fixtures.spec(name(), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            started(worker, runId, 1);
            AttemptFailed killed = AttemptFailed.of(runId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL", 40L,
                    "trainer-service", null);
            worker.publish(Topics.RUNS, killed);
            worker.publish(Topics.RUNS, killed); // redelivered
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.CRASHED, "again", 1, null, 40L,
                    "attempt", null)); // a second report of the same death
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() >= 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            LaunchAttempt second = worker.commands(LaunchAttempt.class).get(1);
            assertEquals(2, second.attempt());
            assertEquals("latest", second.resumeFromCheckpointId()); // no catalog answering in this test
            given().when().get("/api/runs/" + runId + "/attempts").then().statusCode(200)
                    .body("size()", equalTo(2)).body("[0].cause", equalTo("KILLED"))
                    .body("[0].exitCode", equalTo(137));
        }
    }

    @Test
    void staleAttemptEventsChangeNothing() {
        String runId = submit(Fixtures.spec(name(), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            started(worker, runId, 1);
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.KILLED, "x", 137, "KILL", 1L, "t",
                    null));
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            started(worker, runId, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> state(runId).equals("RUNNING"));
            // A zombie attempt 1 reports success: fenced off.
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, "f".repeat(64), 0.1, 1, 0));
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 2, 100, "a".repeat(64), 0.1, 1, 0));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 2, "ck-100", 100L, 10L, "a".repeat(64)));
            await().atMost(Duration.ofSeconds(10)).until(() -> state(runId).equals("SUCCEEDED"));
            given().when().get("/api/runs/" + runId).then().body("finalParamsSha256", equalTo("a".repeat(64)));
        }
    }

    @Test
    void invalidSpecFailureIsNotRetried() {
        String runId = submit(Fixtures.spec(name(), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.INVALID_SPEC, "model.type bad",
                    3, null, 0L, "attempt", null));
            await().atMost(Duration.ofSeconds(10)).until(() -> state(runId).equals("GAVE_UP"));
            given().when().get("/api/runs/" + runId).then().body("lastFailureReason", equalTo("INVALID_SPEC"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> worker.commands(LaunchAttempt.class).size() == 1);
        }
    }

    @Test
    void crashLoopStopsAtItsLimitWithTheReason() {
        String runId = submit(Fixtures.spec(name(), 2, 10));
        try (FakeWorker worker = new FakeWorker(runId)) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                int n = attempt;
                await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == n);
                started(worker, runId, attempt);
                worker.publish(Topics.RUNS, AttemptFailed.of(runId, attempt, FailureReason.CRASHED, "boom", 1, null,
                        5L, "attempt", null));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> state(runId).equals("GAVE_UP"));
            given().when().get("/api/runs/" + runId).then().body("lastFailureMessage", containsString("boom"));
            given().when().get("/api/runs/" + runId + "/transitions").then()
                    .body("find { it.to == 'GAVE_UP' }.cause", containsString("crash loop"));
        }
    }

    @Test
    void aCommittedCheckpointResetsTheCrashLoop() {
        String runId = submit(Fixtures.spec(name(), 2, 10));
        try (FakeWorker worker = new FakeWorker(runId)) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                int n = attempt;
                await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == n);
                started(worker, runId, attempt);
                worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, attempt, "ck-" + attempt,
                        attempt * 100L, 10L));
                await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/api/runs/" + runId)
                        .then().extract().path("state").equals("RUNNING"));
                worker.publish(Topics.RUNS, AttemptFailed.of(runId, attempt, FailureReason.KILLED, "oom", 137,
                        "KILL", attempt * 100L + 5, "trainer-service", null));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 4);
            assertTrue(!state(runId).equals("GAVE_UP"));
        }
    }

    @Test
    void silentAttemptIsCaughtByItsHeartbeatLease() {
        String runId = submit(Fixtures.spec(name(), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            started(worker, runId, 1); // then nothing: the attempt went silent
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().get("/api/runs/" + runId + "/attempts").then()
                    .body("[0].cause", equalTo("HEARTBEAT_LOST"));
        }
    }
}
