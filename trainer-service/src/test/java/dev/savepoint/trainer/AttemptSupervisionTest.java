package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.security.Role;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's answers for the scheduler: AttemptStarted names this service, whose attempt API tells the truth
 * about the child process without waiting for the supervisor's lock; and one attempt alive per run: a newer attempt
 * of the run seen on {@code savepoint.runs} from another worker stops this worker's older one like a cancel.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptSupervisionTest {

    @Inject
    AttemptSupervisor supervisor;

    @BeforeEach
    void consumersAreListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void attemptStartedNamesThisServiceWhichAnswersWhetherTheChildIsAlive() throws Exception {
        String run = Attempts.runId("alive");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
            AttemptStarted started = runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals("http://127.0.0.1:" + RestAssured.port, started.supervisorUrl());

            JsonPath alive = new JsonPath(get(started.supervisorUrl() + "/api/attempts/" + run + "/1", 200));
            assertEquals("RUNNING", alive.getString("state"));
            assertTrue(alive.getBoolean("alive"));

            // The answer does not wait for the supervisor's lock (held, in a real service, while a child starts).
            Object lock = ClientProxy.unwrap(supervisor);
            String whileLocked;
            synchronized (lock) {
                whileLocked = CompletableFuture.supplyAsync(() -> Attempts.view(run, 1).getString("state"))
                        .get(20, TimeUnit.SECONDS);
            }
            assertEquals("RUNNING", whileLocked);

            ProcessHandle child = ProcessHandle.of(started.pid()).orElseThrow();
            child.destroyForcibly();
            child.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Within moments of the death (the JDK's reaper marks the Process exited), whether or not the supervisor
            // has handled the exit yet; AttemptSnapshotTest pins the not-yet-handled case down exactly.
            JsonPath gone = Attempts.awaitState(run, 1, "FAILED");
            assertFalse(gone.getBoolean("alive"));
            assertEquals(137, gone.getInt("exitCode"));

            get(started.supervisorUrl() + "/api/attempts/" + run + "/2", 404);
        }
    }

    @Test
    void anAttemptStartedOfANewerAttemptOnAnotherWorkerStopsTheOlderOne() {
        String run = Attempts.runId("newer-started");
        supersededBy(run, AttemptStarted.of(run, 2, Json.read(Attempts.SHORT_SPEC, RunSpec.class), null, null,
                "another-worker", 1L).withSupervisor("http://another-worker:8081"));
    }

    @Test
    void aHeartbeatOfANewerAttemptStopsTheOlderOne() {
        String run = Attempts.runId("newer-beat");
        supersededBy(run, Heartbeat.of(run, 3, 10, 0, 160L, 0.05, 1.0, 5.0, 0, 1L));
    }

    /** Attempt 1 runs here and keeps running on its own heartbeats; {@code newer} on savepoint.runs stops it. */
    private void supersededBy(String run, SavepointEvent newer) {
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
            runs.awaitEvent(Heartbeat.class, e -> e.runId().equals(run) && e.attempt() == 1 && e.step() > 0,
                    TIMEOUT);
            assertEquals("RUNNING", Attempts.view(run, 1).getString("state"), "its own heartbeat stopped it");

            KafkaTestClient.send(Topics.RUNS, newer);

            JsonPath stopped = Attempts.awaitState(run, 1, "CANCELLED");
            assertEquals(6, stopped.getInt("exitCode"), "SIGTERM: final checkpoint, then PREEMPTED");
            String reason = "superseded by attempt " + newer.attempt() + " (seen on savepoint.runs)";
            assertTrue(stopped.getString("message").contains(reason), stopped.getString("message"));
            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(FailureReason.PREEMPTED, failed.reason(), "the exit is reported as for a cancel");
            given().get("/api/attempts/{run}/{attempt}", run, newer.attempt()).then().statusCode(404);
        }
    }

    private static String get(String url, int status) throws Exception {
        // As the scheduler asks: with the service token (role trainer).
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TestStack.token(Role.TRAINER))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), url + ": " + response.body());
        return response.body();
    }
}
