package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptFailureTest {

    @BeforeEach
    void commandConsumerIsListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void sigkilledChildIsReportedAsKilledByTheService() {
        String run = Attempts.runId("kill");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
            AttemptStarted started = runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run), TIMEOUT);
            long pid = Attempts.view(run, 1).getLong("pid");
            assertEquals(started.pid(), pid);

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(FailureReason.KILLED, failed.reason());
            assertEquals("KILL", failed.signal());
            assertEquals(137, failed.exitCode());
            assertEquals("trainer-service", failed.reporter());
            assertEquals(1, failed.attempt());
            JsonPath view = Attempts.awaitState(run, 1, "FAILED");
            assertEquals(137, view.getInt("exitCode"));
            assertNotNull(view.getString("endedAt"));
        }
    }

    @Test
    void cancelledChildWritesFinalCheckpointAndEndsPreempted() throws Exception {
        String run = Attempts.runId("cancel");
        try (var runs = TopicTail.fromNow(Topics.RUNS);
                var checkpoints = TopicTail.fromNow(Topics.CHECKPOINTS)) {
            Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
            runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run), TIMEOUT);

            KafkaTestClient.send(Topics.COMMANDS, CancelAttempt.of(run, 1, "user asked"));

            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(FailureReason.PREEMPTED, failed.reason());
            assertEquals("attempt", failed.reporter(), "the attempt reports its own preemption");
            CheckpointWritten last = checkpoints.awaitEvent(CheckpointWritten.class, e -> e.runId().equals(run),
                    TIMEOUT);
            assertTrue(last.step() > 0, "the final checkpoint holds the steps trained so far");
            JsonPath view = Attempts.awaitState(run, 1, "CANCELLED");
            assertEquals(6, view.getInt("exitCode"));
            String log = Files.readString(Path.of(view.getString("logFile")));
            assertTrue(log.contains("(PREEMPTED)"), "the SIGTERMed child's last words reach its log: " + log);
            assertEquals(1, runs.events(AttemptFailed.class, e -> e.runId().equals(run)).size(),
                    "the service does not report an end the attempt reported");
        }
    }

    @Test
    void cancelledQueuedAttemptNeverStartsAndIsReportedCancelled() {
        String running = Attempts.runId("busy");
        String waiting = Attempts.runId("waiting");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(running, 1, Attempts.ENDLESS_SPEC));
            Attempts.awaitState(running, 1, "RUNNING");
            Attempts.send(Attempts.launch(waiting, 1, Attempts.SHORT_SPEC));
            Attempts.awaitState(waiting, 1, "QUEUED");

            KafkaTestClient.send(Topics.COMMANDS, CancelAttempt.of(waiting, 1, "user asked"));

            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(waiting), TIMEOUT);
            assertEquals(FailureReason.CANCELLED, failed.reason());
            assertEquals("trainer-service", failed.reporter());
            JsonPath view = Attempts.awaitState(waiting, 1, "CANCELLED");
            assertNull(view.get("pid"), "it never ran");
            KafkaTestClient.send(Topics.COMMANDS, CancelAttempt.of(running, 1, "test over"));
            Attempts.awaitState(running, 1, "CANCELLED");
            assertTrue(runs.events(AttemptStarted.class, e -> e.runId().equals(waiting)).isEmpty());
        }
    }
}
