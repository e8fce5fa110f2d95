package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures that a restart cannot fix end the run in GAVE_UP with the reason, instead of looping. */
class GiveUpIT {

    @Test
    void dataErrorIsNotRetried() {
        Cluster cluster = Cluster.get();
        // A file that is not there, under a data root (the temp dir), so that the spec itself is accepted.
        String missing = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "savepoint-e2e-missing-" + java.util.UUID.randomUUID() + ".csv").toString();
        String spec = Specs.mlp("e2e-no-data", 100).replace(
                "\"data\": {\"type\": \"synthetic\", \"samples\": 8192, \"classes\": 10, \"seed\": 7}",
                "\"data\": {\"type\": \"csv\", \"path\": \"" + missing + "\"}");
        String runId = cluster.client.submit(spec);
        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(2));
        assertEquals("GAVE_UP", run.path("state").asText(), run.toString());
        assertEquals("DATA_ERROR", run.path("lastFailureReason").asText());
        assertEquals(1, cluster.client.attempts(runId).size());
    }

    @Test
    void crashLoopStopsAtItsLimitWithTheReason() {
        Cluster cluster = Cluster.get();
        String runId = cluster.client.submit(Specs.mlp("e2e-crash-loop", 5000,
                "{\"maxRestarts\": 10, \"backoffInitialMs\": 0, \"crashLoopLimit\": 2}"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            long pid = cluster.awaitAttemptPast(runId, attempt, 0); // killed before any new checkpoint
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(2));
        assertEquals("GAVE_UP", run.path("state").asText(), run.toString());
        assertEquals(2, cluster.client.attempts(runId).size());
        assertTrue(run.path("lastFailureReason").asText().equals("KILLED"), run.toString());
    }
}
