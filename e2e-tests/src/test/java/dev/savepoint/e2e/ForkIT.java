package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A fork without overrides continues bit for bit as its parent did: trained for real from the parent's checkpoint at
 * step 500, its final parameters hash like the parent's; the checkpoint is kept for it (forkBase); a fork with another
 * maxSteps trains on past the parent's end.
 */
class ForkIT {

    private static final String RETENTION = "{\"keepLast\": 2, \"keepEverySteps\": 500}";

    @Test
    void aForkWithoutOverridesEndsWithItsParentsParameters() {
        Cluster cluster = Cluster.get();
        String parent = cluster.client.submit(Specs.mlp("e2e-fork-parent", 1000,
                "{\"maxRestarts\": 10, \"backoffInitialMs\": 0, \"crashLoopLimit\": 5}", RETENTION));
        JsonNode parentRun = cluster.awaitDone(parent, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", parentRun.path("state").asText(), parentRun.toString());
        String base = StreamSupport.stream(cluster.client.checkpoints(parent).spliterator(), false)
                .filter(c -> c.path("step").asLong() == 500 && c.path("state").asText().equals("COMMITTED"))
                .findFirst().orElseThrow(() -> new AssertionError("no committed checkpoint at step 500"))
                .path("id").asText();

        String child = cluster.client.fork(parent, "{\"checkpointId\": \"" + base + "\"}").path("runId").asText();
        JsonNode childRun = cluster.awaitDone(child, Duration.ofMinutes(5));

        assertEquals("SUCCEEDED", childRun.path("state").asText(), childRun.toString());
        assertEquals(parent, childRun.path("parentRunId").asText());
        assertEquals(base, childRun.path("parentCheckpointId").asText());
        assertEquals(500, cluster.client.attempts(child).get(0).path("resumedFromStep").asLong());
        assertEquals(parentRun.path("finalParamsSha256").asText(), childRun.path("finalParamsSha256").asText(),
                "a fork without overrides ends where its parent ended, bit for bit");
        JsonNode kept = StreamSupport.stream(cluster.client.checkpoints(parent).spliterator(), false)
                .filter(c -> c.path("id").asText().equals(base)).findFirst().orElseThrow();
        // The child has committed checkpoints of its own: it no longer resumes from the base, which is released.
        assertEquals("COMMITTED", kept.path("state").asText(), kept.toString());
        assertNotEquals("forkBase", kept.path("retention").path("keptBy").asText(), kept.toString());

        String longer = cluster.client.fork(parent, "{\"checkpointId\": \"" + base + "\", \"maxSteps\": 1200}")
                .path("runId").asText();
        JsonNode longerRun = cluster.awaitDone(longer, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", longerRun.path("state").asText(), longerRun.toString());
        assertEquals(1200, longerRun.path("step").asLong());
        assertNotEquals(parentRun.path("finalParamsSha256").asText(), longerRun.path("finalParamsSha256").asText());
    }
}
