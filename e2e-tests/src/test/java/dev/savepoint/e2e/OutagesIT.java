package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ordinary outages of the infrastructure and of Savepoint's own services while an attempt trains: none of them may
 * cost a restart. The attempt trains on, what it could not send waits in its producer, the scheduler judges leases
 * only on what it could see, and the run ends with the hash of its uninterrupted twin.
 */
class OutagesIT {

    static final int STEPS = 4000;

    @Test
    void brokerKilledFor30SecondsCostsNoRestart() throws Exception {
        Cluster cluster = Cluster.get();
        String expected = Twins.hash(cluster, STEPS);
        String runId = cluster.client.submit(Specs.mlp("e2e-broker-down", STEPS));
        cluster.awaitAttemptPast(runId, 1, 300);
        assertTrue(cluster.stack.killKafka(), "the stack's broker was not running");
        long stepAtKill = cluster.client.run(runId).path("step").asLong();
        // The outage itself: 30 s in which nothing can be awaited, since nothing can reach the broker.
        Thread.sleep(Duration.ofSeconds(30).toMillis());
        cluster.stack.startKafka();
        boolean trainingWhenBack = cluster.client.attemptPid(runId, 1).isPresent();

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(10));
        RunStory story = RunStory.of(cluster, runId).print("broker killed for 30 s at step " + stepAtKill
                + " (attempt still training when it came back: " + trainingWhenBack + ")");
        assertUninterrupted(run, story, expected);
        cluster.awaitCommittedCheckpoint(runId, STEPS); // every event of the run has been consumed by now
        List<String> parked = DeadLetters.of(runId);
        assertTrue(parked.isEmpty(), "records of the run in a .dlq topic: " + parked);
    }

    @Test
    void schedulerKilledFor20SecondsCostsNoRestart() throws Exception {
        serviceDownFor20Seconds("scheduler-service", "e2e-scheduler-down");
    }

    @Test
    void checkpointServiceKilledFor20SecondsCostsNoRestart() throws Exception {
        serviceDownFor20Seconds("checkpoint-service", "e2e-catalog-down");
    }

    private static void serviceDownFor20Seconds(String service, String name) throws Exception {
        Cluster cluster = Cluster.get();
        String expected = Twins.hash(cluster, STEPS);
        String runId = cluster.client.submit(Specs.mlp(name, STEPS));
        cluster.awaitCommittedCheckpoint(runId, 300);
        cluster.killService(service);
        // The outage itself: the service is gone for 20 s; nothing to await while it is.
        Thread.sleep(Duration.ofSeconds(20).toMillis());
        cluster.startService(service);
        boolean trainingWhenBack = cluster.client.attemptPid(runId, 1).isPresent();

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(10));
        RunStory story = RunStory.of(cluster, runId).print(service + " killed for 20 s (attempt still training when "
                + "it came back: " + trainingWhenBack + ")");
        assertUninterrupted(run, story, expected);
    }

    private static void assertUninterrupted(JsonNode run, RunStory story, String expected) {
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        assertEquals(0, story.restarts(), "an outage cost a restart: " + story);
        assertEquals(expected, run.path("finalParamsSha256").asText(), "not the uninterrupted twin's hash: " + run);
    }
}
