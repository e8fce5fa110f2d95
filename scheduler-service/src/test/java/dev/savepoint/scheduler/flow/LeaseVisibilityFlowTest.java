package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A lease is judged only on what the scheduler could see, with the real consumer: while the consumer is held behind
 * a record (a backlog of heartbeats piles up behind it) no lease is judged and the launcher is not even asked; once
 * caught up, a silent attempt whose launcher says it is alive keeps running, and one its launcher finds gone fails
 * with HEARTBEAT_LOST and is followed by attempt 2, which resumes from {@code latest}.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class LeaseVisibilityFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The fixtures' lease: 3 heartbeats of 200 ms plus the default grace of 2 s. */
    private static final Duration LEASE = Duration.ofMillis(2600);

    static RunSpec spec() {
        return Json.read(Fixtures.spec("x", 3, 5), RunSpec.class);
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Heartbeat heartbeat(String runId, int attempt, long step) {
        return Heartbeat.of(runId, attempt, step, 0, step * 8, 0.1, 0.5, 10.0, 0, 4242L);
    }

    /** The readiness check's visibility data: whether the scheduler is caught up with savepoint.runs. */
    static boolean caughtUp() {
        Boolean up = given().when().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'savepoint.runs visibility' }.data.caughtUp");
        return Boolean.TRUE.equals(up);
    }

    static Map<String, Object> attempt(String runId, int attempt) {
        return given().when().get("/api/runs/" + runId + "/attempts").then().statusCode(200).extract()
                .path("find { it.attempt == " + attempt + " }");
    }

    @Test
    void aHeldConsumerJudgesNoLeaseAndAfterwardsTheLauncherDecides() throws Exception {
        try (TrainerServiceStub trainer = new TrainerServiceStub()) {
            String runId = submit(Fixtures.spec(name("seen"), 3, 5));
            String other = submit(Fixtures.spec(name("held"), 3, 5));
            try (FakeWorker worker = new FakeWorker(runId); FakeWorker otherWorker = new FakeWorker(other)) {
                await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1
                        && otherWorker.commands(LaunchAttempt.class).size() == 1);
                trainer.state(runId, 1, "RUNNING");
                worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, spec(), null, null, "test", 4242L)
                        .withSupervisor(trainer.url()));
                await().atMost(DEADLINE).until(() -> state(runId).equals("RUNNING") && caughtUp());
                assertEquals(trainer.url(), attempt(runId, 1).get("supervisorUrl"));

                // The consumer is held behind an event of another run whose row this test locks; the heartbeats of
                // the run pile up behind it, unread, for more than twice its lease.
                Map<String, String> db = TestStack.shared().serviceConfig();
                try (Connection lock = DriverManager.getConnection(db.get("quarkus.datasource.jdbc.url"),
                        db.get("quarkus.datasource.username"), db.get("quarkus.datasource.password"))) {
                    lock.setAutoCommit(false);
                    try (PreparedStatement q = lock.prepareStatement(
                            "select run_id from scheduler_test.runs where run_id = ? for update")) {
                        q.setString(1, other);
                        q.executeQuery().close();
                    }
                    otherWorker.publish(Topics.RUNS, heartbeat(other, 1, 1));
                    Instant heldFrom = Instant.now();
                    long[] step = {1};
                    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                        worker.publish(Topics.RUNS, heartbeat(runId, 1, ++step[0]));
                        return !caughtUp() && Instant.now().isAfter(heldFrom.plus(LEASE.multipliedBy(2)));
                    });
                    assertEquals(0, trainer.asked(runId, 1), "no lease is judged while the consumer is behind");
                    assertEquals("RUNNING", state(runId));
                    lock.rollback();
                }
                await().atMost(DEADLINE).until(LeaseVisibilityFlowTest::caughtUp);
                assertEquals("RUNNING", state(runId), "the backlog of heartbeats was read before any lease judged");
                assertEquals(1, worker.commands(LaunchAttempt.class).size());

                // Silent now, with the scheduler caught up: its launcher says alive, so it keeps running.
                await().atMost(DEADLINE).until(() -> attempt(runId, 1).get("silentAliveSince") != null);
                assertTrue(trainer.asked(runId, 1) >= 1);
                assertEquals("RUNNING", state(runId));
                assertEquals(1, worker.commands(LaunchAttempt.class).size(), "an alive attempt is not replaced");

                // Its launcher finds it gone: it fails, and attempt 2 is launched to resume from the newest commit.
                trainer.state(runId, 1, "FAILED");
                await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
                Map<String, Object> first = attempt(runId, 1);
                assertEquals("HEARTBEAT_LOST", first.get("cause"));
                assertTrue(String.valueOf(first.get("message")).contains("the launcher confirms it is gone"),
                        String.valueOf(first.get("message")));
                assertTrue(first.get("endConfirmedAt") != null);
                LaunchAttempt second = worker.commands(LaunchAttempt.class).get(1);
                assertEquals("latest", second.resumeFromCheckpointId());
                assertNull(second.resumeFromStep());
            }
        }
    }
}
