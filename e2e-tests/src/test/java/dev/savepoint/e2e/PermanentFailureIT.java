package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.stack.StackSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A command that can never work is not relaunched: a script path that does not exist ends the first attempt with
 * PERMANENT_ERROR and the run gives up at once, with the permanent pattern the output matched as its cause.
 */
class PermanentFailureIT {

    @Test
    void missingScriptIsAPermanentErrorThatIsNotRetried() {
        Cluster cluster = Cluster.get();
        String missing = StackSettings.repositoryRoot().resolve("examples/no-such-train-" + UUID.randomUUID()
                + ".py").toString();
        // Restarts allowed: only the classification can stop the scheduler from relaunching.
        String runId = cluster.client.submit(Specs.command("e2e-missing-script", 100, TrainerSpec.HF_TRAINER,
                List.of(Python.any(), missing, "--output_dir", "{outputDir}"), null, 5));

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(2));
        JsonNode attempts = cluster.client.attempts(runId);
        RunStory.of(cluster, runId).print("PermanentFailureIT");
        assertEquals("GAVE_UP", run.path("state").asText(), run.toString());
        assertEquals("PERMANENT_ERROR", run.path("lastFailureReason").asText(), run.toString());
        assertEquals(0, run.path("restarts").asInt(), run.toString());
        assertEquals(1, attempts.size(), attempts.toString());
        JsonNode attempt = attempts.get(0);
        assertEquals("FAILED", attempt.path("state").asText(), attempt.toString());
        assertEquals("PERMANENT_ERROR", attempt.path("cause").asText(), attempt.toString());
        String message = attempt.path("message").asText("");
        System.out.println("PermanentFailureIT: the attempt's cause: " + message);
        List<String> patterns = TrainerSpec.command(TrainerSpec.HF_TRAINER, List.of("x")).resolved()
                .permanentPatterns();
        assertTrue(patterns.stream().anyMatch(message::contains), "the cause does not name the permanent pattern "
                + "the output matched (one of " + patterns + "): " + message);
    }
}
