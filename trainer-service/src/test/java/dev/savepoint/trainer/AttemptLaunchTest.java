package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptLaunchTest {

    @BeforeEach
    void commandConsumerIsListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void launchedAttemptRunsAsChildProcessAndSucceeds() throws Exception {
        String run = Attempts.runId("ok");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));

            AttemptSucceeded succeeded = runs.awaitEvent(AttemptSucceeded.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(300, succeeded.step());
            AttemptStarted started = runs.events(AttemptStarted.class, e -> e.runId().equals(run)).get(0);

            JsonPath view = Attempts.awaitState(run, 1, "SUCCEEDED");
            assertEquals(0, view.getInt("exitCode"));
            assertEquals(started.pid(), view.getLong("pid"), "the child that trained is the one supervised");
            assertNotNull(view.getString("startedAt"));
            assertNotNull(view.getString("endedAt"));
            String log = Files.readString(Path.of(view.getString("logFile")));
            assertTrue(log.contains("final-params-sha256=" + succeeded.finalParamsSha256()), log);
            List<String> listed = given().get("/api/attempts").then().statusCode(200).extract().path("runId");
            assertTrue(listed.contains(run));
        }
    }

    @Test
    void sameLaunchDeliveredTwiceStartsOneChild() {
        String run = Attempts.runId("dup");
        LaunchAttempt command = Attempts.launch(run, 1, Attempts.SHORT_SPEC);
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(command);
            Attempts.send(command);

            runs.awaitEvent(AttemptSucceeded.class, e -> e.runId().equals(run), TIMEOUT);
            Attempts.awaitState(run, 1, "SUCCEEDED");
            // a second child would have been queued behind the first and would start right after it
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() ->
                    runs.events(AttemptStarted.class, e -> e.runId().equals(run)).size() == 1
                            && "SUCCEEDED".equals(Attempts.view(run, 1).getString("state")));
            List<String> listed = given().get("/api/attempts").then().extract().path("runId");
            assertEquals(1, listed.stream().filter(run::equals).count());
        }
    }

    @Test
    void launchBeyondFreeSlotsWaitsInQueueThenRuns() {
        String first = Attempts.runId("slot-a");
        String second = Attempts.runId("slot-b");
        Attempts.send(Attempts.launch(first, 1, Attempts.SHORT_SPEC));
        Attempts.awaitState(first, 1, "RUNNING");
        Attempts.send(Attempts.launch(second, 1, Attempts.SHORT_SPEC));

        JsonPath queued = Attempts.awaitState(second, 1, "QUEUED");
        assertNull(queued.get("pid"));
        JsonPath a = Attempts.awaitState(first, 1, "SUCCEEDED");
        JsonPath b = Attempts.awaitState(second, 1, "SUCCEEDED");
        assertTrue(!Instant.parse(b.getString("startedAt")).isBefore(Instant.parse(a.getString("endedAt"))),
                "the queued attempt starts only when the slot is free");
    }

    @Test
    void attemptOlderThanOneAlreadySeenIsIgnored() {
        String run = Attempts.runId("fence");
        Attempts.send(Attempts.launch(run, 2, Attempts.SHORT_SPEC));
        Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));

        Attempts.awaitState(run, 2, "SUCCEEDED");
        given().get("/api/attempts/{run}/{attempt}", run, 1).then().statusCode(404);
    }

    @Test
    void newerAttemptOfARunStopsTheOlderOneFirst() {
        String run = Attempts.runId("supersede");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
            runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run) && e.attempt() == 1, TIMEOUT);

            Attempts.send(Attempts.launch(run, 2, Attempts.SHORT_SPEC));

            JsonPath older = Attempts.awaitState(run, 1, "CANCELLED");
            assertEquals(6, older.getInt("exitCode"), "SIGTERM: final checkpoint, then PREEMPTED");
            JsonPath newer = Attempts.awaitState(run, 2, "SUCCEEDED");
            assertTrue(!Instant.parse(newer.getString("startedAt")).isBefore(Instant.parse(older.getString("endedAt"))),
                    "the newer attempt waits in the queue for the slot the older one frees");
        }
    }
}
