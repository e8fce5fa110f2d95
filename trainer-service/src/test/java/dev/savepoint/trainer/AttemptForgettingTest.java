package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounded state: an ended attempt is forgotten after its age, with its files; a live one is never. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptForgettingTest {

    @Inject
    AttemptSupervisor supervisor;

    @BeforeEach
    void commandConsumerIsListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void anEndedAttemptIsForgottenWithItsFilesWhileARunningOneStays() throws Exception {
        String ended = Attempts.runId("forget");
        String live = Attempts.runId("live");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(ended, 1, Attempts.SHORT_SPEC));
            runs.awaitEvent(AttemptSucceeded.class, e -> e.runId().equals(ended), TIMEOUT);
            Path log = Path.of(Attempts.awaitState(ended, 1, "SUCCEEDED").getString("logFile"));
            Path spec = log.resolveSibling(ended + "-1.spec.json");
            assertTrue(Files.exists(log) && Files.exists(spec), "the attempt's files exist before it is forgotten");
            Attempts.send(Attempts.launch(live, 1, Attempts.ENDLESS_SPEC));
            Attempts.awaitState(live, 1, "RUNNING");

            int forgotten = supervisor.forgetEndedBefore(Instant.now().plusSeconds(1));

            assertTrue(forgotten >= 1, "at least this test's ended attempt is forgotten, got " + forgotten);
            given().get("/api/attempts/{run}/{attempt}", ended, 1).then().statusCode(404);
            assertFalse(Files.exists(log), "its log is deleted");
            assertFalse(Files.exists(spec), "its spec file is deleted");
            assertEquals("RUNNING", Attempts.view(live, 1).getString("state"), "a running attempt is never forgotten");
        } finally {
            KafkaTestClient.send(Topics.COMMANDS, CancelAttempt.of(live, 1, "test over"));
            Attempts.awaitState(live, 1, "CANCELLED");
        }
    }
}
