package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.TestSeed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Genuine deaths of attempts: the next attempt resumes from the newest committed checkpoint, which it leases itself
 * when it starts, so that neither a late commit event nor retention can make it resume from an older one or from
 * one that is gone.
 */
class GenuineKillsIT {

    @Test
    void attemptKilledRightAfterACommitResumesFromThatCommit() {
        Cluster cluster = Cluster.get();
        int steps = OutagesIT.STEPS;
        String expected = Twins.hash(cluster, steps);
        String runId = cluster.client.submit(Specs.mlp("e2e-kill-after-commit", steps));
        long pid = cluster.awaitAttemptPast(runId, 1, 300);
        long before = cluster.client.latestCheckpoint(runId).map(c -> c.path("step").asLong()).orElse(0L);
        // The moment the catalog answers with a newer commit, the attempt dies: nothing else has happened since.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5)).until(() -> cluster.client
                .latestCheckpoint(runId).map(c -> c.path("step").asLong() > before).orElse(false));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long committed = cluster.client.latestCheckpoint(runId).orElseThrow().path("step").asLong();

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(10));
        RunStory story = RunStory.of(cluster, runId).print("attempt killed right after the commit of step "
                + committed);
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        assertEquals(expected, run.path("finalParamsSha256").asText(), run.toString());
        assertEquals(1, story.restarts(), story.toString());
        JsonNode second = cluster.client.attempts(runId).get(1);
        assertTrue(second.path("resumedFromStep").asLong() >= committed, "attempt 2 resumed from step "
                + second.path("resumedFromStep").asLong() + ", older than the commit of step " + committed
                + " made before the kill: " + story);
        assertEquals(java.util.List.of(), DeadLetters.of(runId), "every event of the run (the attempts', signed with "
                + "their own secrets, and the services', signed with the key) was believed: none refused");
    }

    @Test
    void twentyKillsInARowWithRetentionKeepingOneNeverResumeFromADeletedCheckpoint() {
        Cluster cluster = Cluster.get();
        int steps = OutagesIT.STEPS;
        String expected = Twins.hash(cluster, steps);
        String runId = cluster.client.submit(Specs.mlp("e2e-keep-one", steps, Specs.MANY_RESTARTS,
                "{\"keepLast\": 1}"));
        TestSeed seed = TestSeed.of("twentyKillsInARowWithRetentionKeepingOneNeverResumeFromADeletedCheckpoint");
        long resumedFrom = 0;
        for (int attempt = 1; attempt <= 20; attempt++) {
            // Past its resume point by one to two checkpoint intervals, so that kills land before, during and after
            // commits while retention deletes everything but the newest.
            long killAt = resumedFrom + seed.between(60, 200);
            long pid = cluster.awaitAttemptPast(runId, attempt, killAt);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            final int next = attempt + 1;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode a = cluster.client.attempts(runId);
                return a.size() >= next && a.get(next - 1).hasNonNull("startedAt");
            });
            resumedFrom = cluster.client.attempts(runId).get(next - 1).path("resumedFromStep").asLong(0);
        }

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(10));
        RunStory story = RunStory.of(cluster, runId).print("20 kills with retention keepLast 1 (" + seed + ")");
        assertEquals("SUCCEEDED", run.path("state").asText(), run + " " + seed);
        assertEquals(expected, run.path("finalParamsSha256").asText(), seed.toString());
        assertEquals(20, story.restarts(), story.toString());
        JsonNode attempts = cluster.client.attempts(runId);
        for (int i = 0; i < 20; i++) {
            assertEquals("KILLED", attempts.get(i).path("cause").asText(), "attempt " + (i + 1) + " did not die of "
                    + "the kill but of something else (" + seed + "): " + story);
        }
        assertFalse(attempts.get(20).path("state").asText().equals("FAILED"), story.toString());
    }
}
