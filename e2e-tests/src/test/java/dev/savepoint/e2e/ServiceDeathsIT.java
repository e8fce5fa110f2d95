package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The services themselves die: the heartbeat lease and the launch outbox keep every run going, exactly once. */
class ServiceDeathsIT {

    @Test
    void trainerServiceKilledTheLeaseNoticesAndTheRunResumesOnceItIsBack() {
        Cluster cluster = Cluster.get();
        String runId = cluster.client.submit(Specs.mlp("e2e-trainer-lost", 1500));
        cluster.awaitCommittedCheckpoint(runId, 100);
        cluster.killService("trainer-service"); // the service and its attempt, like a lost node

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.client.run(runId).path("currentAttempt").asInt() == 2);
        assertEquals("HEARTBEAT_LOST", cluster.client.attempts(runId).get(0).path("cause").asText());
        cluster.startService("trainer-service");

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        JsonNode attempts = cluster.client.attempts(runId);
        assertEquals(2, attempts.size(), attempts.toString());
        assertEquals(true, attempts.get(1).path("resumedFromStep").asLong() >= 100, attempts.toString());
    }

    @Test
    void schedulerKilledBetweenAFailureAndItsRelaunchLaunchesExactlyOneNewAttempt() {
        Cluster cluster = Cluster.get();
        // A long backoff holds the run in BACKOFF, so that the scheduler dies between the failure and the relaunch.
        String runId = cluster.client.submit(Specs.mlp("e2e-scheduler-lost", 800,
                "{\"maxRestarts\": 5, \"backoffInitialMs\": 6000, \"crashLoopLimit\": 5}"));
        long pid = cluster.awaitAttemptPast(runId, 1, 150);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.client.run(runId).path("state").asText().equals("BACKOFF"));
        cluster.killService("scheduler-service");
        cluster.startService("scheduler-service");

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        JsonNode attempts = cluster.client.attempts(runId);
        assertEquals(2, attempts.size(), attempts.toString());
        assertEquals("KILLED", attempts.get(0).path("cause").asText());
    }
}
