package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.trainer.supervisor.AttemptLauncher;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command run's trainer never outlives its attempt: it runs in a process group of its own, which this service kills
 * when the attempt process ends in any way, a SIGKILL of the attempt's JVM included; a cancel stops it through the
 * attempt (SIGTERM forwarded to the trainer).
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CommandAttemptCleanupTest {

    /** A training command that runs for ten minutes and saves nothing. */
    static final String SLEEP_SPEC = "{\"name\":\"sleeper\",\"maxSteps\":100,\"trainer\":{\"type\":\"command\","
            + "\"preset\":\"generic\",\"command\":[\"sleep\",\"600\"],\"statePattern\":\"state-*\","
            + "\"resumeArgs\":[\"{stateDir}\"]}}";

    @Inject
    AttemptLauncher launcher;

    @Inject
    AttemptSupervisor supervisor;

    @BeforeEach
    void consumersAreListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void sigkillOfTheAttemptProcessKillsItsTrainersProcessGroup() throws Exception {
        String run = Attempts.runId("orphan");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, SLEEP_SPEC));
            AttemptStarted started = runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run), TIMEOUT);
            ProcessHandle trainer = trainerOf(run);
            assertTrue(trainer.info().commandLine().orElse("").contains("sleep"), trainer.info().toString());

            ProcessHandle.of(started.pid()).orElseThrow().destroyForcibly(); // the attempt's JVM, not the trainer
            Attempts.awaitState(run, 1, "FAILED");
            await().atMost(TIMEOUT).until(() -> !trainer.isAlive());

            assertTrue(Files.isDirectory(launcher.workFolder(run, 1)));
            supervisor.forgetEndedBefore(Instant.now().plusSeconds(1));
            assertFalse(Files.exists(launcher.workFolder(run, 1)), "forgetting the attempt deletes its work folder");
        }
    }

    @Test
    void cancelStopsTheTrainerThroughTheAttemptWhichEndsPreempted() throws Exception {
        String run = Attempts.runId("cancel-cmd");
        try (var runs = TopicTail.fromNow(Topics.RUNS)) {
            Attempts.send(Attempts.launch(run, 1, SLEEP_SPEC));
            runs.awaitEvent(AttemptStarted.class, e -> e.runId().equals(run), TIMEOUT);
            ProcessHandle trainer = trainerOf(run);

            assertTrue(supervisor.cancel(run, 1, "test cancel"));
            AttemptFailed failed = runs.awaitEvent(AttemptFailed.class, e -> e.runId().equals(run), TIMEOUT);
            assertEquals(FailureReason.PREEMPTED, failed.reason(), failed.message());
            assertEquals(6, Attempts.awaitState(run, 1, "CANCELLED").getInt("exitCode"));
            await().atMost(TIMEOUT).until(() -> !trainer.isAlive());
        }
    }

    /** The trainer the attempt started, from the process id it recorded in its work folder. */
    private ProcessHandle trainerOf(String run) throws Exception {
        Path pidFile = launcher.workFolder(run, 1).resolve("command.pid");
        await().atMost(TIMEOUT).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("trainer " + pid + " is not running"));
    }
}
