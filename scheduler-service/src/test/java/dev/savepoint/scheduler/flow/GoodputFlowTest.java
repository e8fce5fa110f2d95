package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Goodput of a run killed twice at known steps, driven through the real broker: the API's lost steps are the steps
 * past each resume point, and its seconds match an independent computation from the attempts' recorded times.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class GoodputFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String HASH = "d".repeat(64);
    private static final double EPS = 1e-6;

    /** Heartbeat period of a minute: no lease runs out while the test drives the attempts. */
    private static String spec(String name) {
        return Fixtures.spec(name, 5, 5).replace("\"heartbeatMillis\": 200", "\"heartbeatMillis\": 60000");
    }

    @Test
    void goodputOfARunKilledTwiceMatchesItsRecordedTimesAndKillPoints() {
        String runId = submit(spec("goodput-" + UUID.randomUUID().toString().substring(0, 8)));
        RunSpec spec = Json.read(spec("x"), RunSpec.class);
        try (FakeWorker worker = new FakeWorker(runId)) {
            // attempt 1: fresh, a checkpoint at 20, killed at step 50
            started(worker, runId, 1, spec, null, null);
            beat(worker, runId, 1, 30);
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-20", 20L, 10L));
            killed(worker, runId, 1, 50);
            // attempt 2: resumes at 20, re-trains 20..50, a checkpoint at 60, killed at step 70
            started(worker, runId, 2, spec, "ck-20", 20L);
            beat(worker, runId, 2, 40);
            assertNull(attempt(runId, 2).get("caughtUpAt"), "still re-training below step 50");
            beat(worker, runId, 2, 55);
            assertNotNull(attempt(runId, 2).get("caughtUpAt"));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 2, "ck-60", 60L, 10L));
            killed(worker, runId, 2, 70);
            // attempt 3: resumes at 60, re-trains 60..70, succeeds at 100
            started(worker, runId, 3, spec, "ck-60", 60L);
            beat(worker, runId, 3, 80);
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 3, 100, HASH, 0.1, 1, 0));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 3, "ck-100", 100L, 10L, HASH));
            await().atMost(DEADLINE).until(() -> state(runId).equals("SUCCEEDED"));
        }
        JsonPath run = given().when().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> attempts = given().when().get("/api/runs/" + runId + "/attempts").then()
                .statusCode(200).extract().jsonPath().getList("$");

        assertEquals(List.of(30, 10, 0), run.getList("accounting.attempts.lostSteps"));
        assertEquals(40, run.getInt("accounting.lostSteps"));
        assertEquals(50, ((Number) attempts.get(1).get("recomputeUntilStep")).intValue());
        assertEquals(70, ((Number) attempts.get(2).get("recomputeUntilStep")).intValue());

        Expected expected = Expected.of(Instant.parse(run.getString("createdAt")), attempts);
        assertEquals(expected.wall, run.getDouble("accounting.wallSeconds"), EPS);
        assertEquals(expected.training, run.getDouble("accounting.trainingSeconds"), EPS);
        assertEquals(expected.startup, run.getDouble("accounting.startupSeconds"), EPS);
        assertEquals(expected.relaunchWait, run.getDouble("accounting.relaunchWaitSeconds"), EPS);
        assertEquals(expected.recompute, run.getDouble("accounting.recomputeSeconds"), EPS);
        assertEquals((expected.training - expected.recompute) / expected.wall, run.getDouble("goodput"), EPS);
        assertTrue(expected.recompute > 0 && expected.relaunchWait > 0, expected.toString());

        given().when().get("/api/runs").then().statusCode(200); // the list carries the same accounting
        assertEquals(run.getDouble("goodput"), given().when().get("/api/runs?size=500").then().extract().jsonPath()
                .getDouble("find { it.runId == '" + runId + "' }.goodput"), EPS);
        await().atMost(DEADLINE).untilAsserted(() -> given().when().get("/q/metrics").then()
                .body(containsString("savepoint_run_lost_steps{run=\"" + runId + "\"} 40.0")));
    }

    /**
     * The same accounting written out for this run's shape (reported kills, no stop before the end): wall from
     * creation to the success, training from each start to each end, startup before attempt 1, relaunch wait from
     * each end to the next start, recompute from a resumed start until the attempt caught up.
     */
    private record Expected(double wall, double training, double startup, double relaunchWait, double recompute) {

        static Expected of(Instant created, List<Map<String, Object>> attempts) {
            double training = 0;
            double relaunch = 0;
            double recompute = 0;
            for (int i = 0; i < attempts.size(); i++) {
                Instant start = at(attempts.get(i), "startedAt");
                training += seconds(start, at(attempts.get(i), "endedAt"));
                if (i > 0) {
                    relaunch += seconds(at(attempts.get(i - 1), "endedAt"), start);
                    recompute += seconds(start, at(attempts.get(i), "caughtUpAt"));
                }
            }
            return new Expected(seconds(created, at(attempts.get(attempts.size() - 1), "endedAt")), training,
                    seconds(created, at(attempts.get(0), "startedAt")), relaunch, recompute);
        }

        private static Instant at(Map<String, Object> attempt, String field) {
            return Instant.parse((String) attempt.get(field));
        }

        private static double seconds(Instant from, Instant to) {
            return Duration.between(from, to).toNanos() / 1e9;
        }
    }

    private static void started(FakeWorker worker, String runId, int attempt, RunSpec spec, String checkpoint,
            Long step) {
        await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == attempt);
        worker.publish(Topics.RUNS, AttemptStarted.of(runId, attempt, spec, checkpoint, step, "test", 1L));
        await().atMost(DEADLINE).until(() -> "RUNNING".equals(attempt(runId, attempt).get("state")));
    }

    private static void beat(FakeWorker worker, String runId, int attempt, long step) {
        worker.publish(Topics.RUNS, Heartbeat.of(runId, attempt, step, 0, step * 8, 0.1, 0.5, 10.0, 0, 1L));
        await().atMost(DEADLINE).until(() -> attempt(runId, attempt).get("lastStep") instanceof Number n
                && n.longValue() == step);
    }

    private static void killed(FakeWorker worker, String runId, int attempt, long step) {
        worker.publish(Topics.RUNS, AttemptFailed.of(runId, attempt, FailureReason.KILLED, "SIGKILL", 137, "KILL",
                step, "trainer-service", null));
        await().atMost(DEADLINE).until(() -> "FAILED".equals(attempt(runId, attempt).get("state")));
    }

    private static Map<String, Object> attempt(String runId, int attempt) {
        List<Map<String, Object>> all = given().when().get("/api/runs/" + runId + "/attempts").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.size() < attempt ? Map.of() : all.get(attempt - 1);
    }
}
