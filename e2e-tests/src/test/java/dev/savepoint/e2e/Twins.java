package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The final parameter hash of an uninterrupted run of {@link Specs#mlp} for a number of steps, trained once per test
 * JVM and shared by every test that compares a disturbed run with its twin (the name, the retention policy and the
 * restart policy do not change the trained bits).
 */
final class Twins {

    private static final Map<Integer, String> HASHES = new HashMap<>();

    private Twins() {
    }

    static synchronized String hash(Cluster cluster, int steps) {
        return HASHES.computeIfAbsent(steps, s -> {
            long t0 = System.nanoTime();
            String runId = cluster.client.submit(Specs.mlp("e2e-twin-" + s, s));
            JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(10));
            assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
            assertEquals(0, run.path("restarts").asInt(), "the twin itself must run uninterrupted: " + run);
            String hash = run.path("finalParamsSha256").asText();
            assertEquals(64, hash.length(), run.toString());
            System.out.printf("twin of %d steps: %s in %.1f s (submit to end)%n", s, hash,
                    (System.nanoTime() - t0) / 1e9);
            return hash;
        });
    }
}
