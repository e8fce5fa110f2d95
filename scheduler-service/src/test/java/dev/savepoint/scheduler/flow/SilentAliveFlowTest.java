package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One attempt alive per run: an attempt that stays alive but silent beyond the limit is stopped through its launcher
 * and fails, and attempt 2 is launched only once the launcher finds attempt 1 gone.
 */
@QuarkusTest
@TestProfile(SilentAliveFlowTest.ShortSilence.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class SilentAliveFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Alive but silent for 3 s is too long; so is a claim of success undecided for 3 s. */
    public static class ShortSilence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.scheduler.silent-alive-limit", "3s", "savepoint.scheduler.claim-timeout", "3s");
        }
    }

    /**
     * An attempt claims success, but no checkpoint at its final step is ever committed or rejected (its events were
     * lost): after the claim timeout the claim fails as UNVERIFIED_SUCCESS and the run resumes, instead of waiting.
     */
    @Test
    void aClaimThatNothingDecidesFailsAfterTheClaimTimeout() {
        String runId = submit(Fixtures.spec(LeaseVisibilityFlowTest.name("claim"), 3, 5));
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, LeaseVisibilityFlowTest.spec(), null, null,
                    "test", 4242L));
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, "a".repeat(64), 0.1, 1, 0));

            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            Map<String, Object> first = LeaseVisibilityFlowTest.attempt(runId, 1);
            assertEquals("UNVERIFIED_SUCCESS", first.get("cause"));
            assertTrue(String.valueOf(first.get("message")).contains("savepoint.scheduler.claim-timeout"),
                    String.valueOf(first.get("message")));
        }
    }

    @Test
    void anAttemptStoppedForStayingSilentIsNotFollowedUntilItsLauncherFindsItGone() {
        try (TrainerServiceStub trainer = new TrainerServiceStub()) {
            String runId = submit(Fixtures.spec(LeaseVisibilityFlowTest.name("silent"), 3, 5));
            try (FakeWorker worker = new FakeWorker(runId)) {
                await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
                trainer.state(runId, 1, "RUNNING");
                worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, LeaseVisibilityFlowTest.spec(), null, null,
                        "test", 4242L).withSupervisor(trainer.url())); // then silent, alive for its launcher

                await().atMost(DEADLINE).until(() -> worker.commands(CancelAttempt.class).size() == 1);
                Map<String, Object> first = LeaseVisibilityFlowTest.attempt(runId, 1);
                assertEquals("HEARTBEAT_LOST", first.get("cause"));
                assertTrue(String.valueOf(first.get("message")).contains("stopped through the launcher"),
                        String.valueOf(first.get("message")));
                assertNull(first.get("endConfirmedAt"), "stopped is not yet ended");

                // Still alive for its launcher (its SIGTERM grace): attempt 2 waits, asking every tick.
                long asked = trainer.asked(runId, 1);
                await().atMost(DEADLINE).until(() -> trainer.asked(runId, 1) >= asked + 3);
                assertEquals(1, worker.commands(LaunchAttempt.class).size(), "attempt 1 is alive: no attempt 2 yet");
                assertNull(LeaseVisibilityFlowTest.attempt(runId, 1).get("endConfirmedAt"));

                trainer.state(runId, 1, "CANCELLED");
                await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
                assertTrue(LeaseVisibilityFlowTest.attempt(runId, 1).get("endConfirmedAt") != null);
                assertEquals(2, worker.commands(LaunchAttempt.class).get(1).attempt());
            }
        }
    }
}
