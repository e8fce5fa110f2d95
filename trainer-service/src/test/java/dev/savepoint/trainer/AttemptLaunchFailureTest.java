package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A child that dies before it can say anything (here: its JVM finds no main class) is reported by the service. */
@QuarkusTest
@TestProfile(AttemptLaunchFailureTest.BrokenRunner.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptLaunchFailureTest {

    /** Attempt processes get a class path without the runner. */
    public static class BrokenRunner implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.runner.class-path", "/nonexistent/trainer-runner.jar");
        }
    }

    @BeforeEach
    void commandConsumerIsListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void childThatDiesBeforeReportingIsReportedCrashedByTheService() throws Exception {
        String run = Attempts.runId("nomain");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));

            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(FailureReason.CRASHED, failed.reason());
            assertEquals(1, failed.exitCode());
            assertNull(failed.signal());
            assertEquals("trainer-service", failed.reporter());
            JsonPath view = Attempts.awaitState(run, 1, "FAILED");
            assertEquals(1, view.getInt("exitCode"));
            String log = Files.readString(Path.of(view.getString("logFile")));
            assertTrue(log.contains("AttemptMain"), "the child's own words are in its log: " + log);
        }
    }
}
