package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.Heartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's S3 server stopped (SIGSTOP) for at least 20 s while an attempt trains: training goes on, every failed
 * upload and every skip is logged, heartbeats report the age of the newest durable checkpoint, and once S3 is back
 * the newest snapshot is written and the final checkpoint is in storage before the attempt succeeds.
 */
class StorageOutageTest {

    static final int STEPS = 1000;
    static final long BEFORE_OUTAGE = 110;
    static final long BEFORE_END = 900;
    static final Duration OUTAGE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void whileS3IsStoppedTrainingGoesOnSkipsAndFailuresAreLoggedAndCheckpointsResumeAfter() throws Exception {
        Path spec = Specs.write(dir, "outage", Specs.MLP_ADAMW, STEPS, 1, "\"checkpoint\": {\"everySteps\": 20}");
        String runId = "outage-" + UUID.randomUUID();
        Holds holds = new Holds(dir.resolve("holds"));
        Map<String, String> env = new HashMap<>(holds.at(BEFORE_OUTAGE, BEFORE_END));
        env.put("SAVEPOINT_S3_TIMEOUT_MS", "2000"); // a request to the stopped server fails instead of hanging
        env.put("SAVEPOINT_RETRY_MAX_MS", "1000");
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, env);
        StoredRun stored = new StoredRun(runId);
        attempt.awaitHeldAt(BEFORE_OUTAGE);
        // Written at step 100 means every checkpoint before it is done: the writer is idle when S3 stops.
        await().atMost(Duration.ofMinutes(2)).until(() -> steps(stored).contains(100L));

        long stoppedAt = System.nanoTime();
        StackS3.stop();
        try {
            holds.release(BEFORE_OUTAGE);
            attempt.awaitStderr("not written (try 1)");
            attempt.awaitStderr(" skipped: ");
            attempt.awaitHeldAt(BEFORE_END); // training went on to step 900 with S3 unreachable
            long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
            if (left > 0) {
                Thread.sleep(left / 1_000_000); // the outage lasts 20 s whatever the machine: a duration, not a wait
            }
        } finally {
            StackS3.resume();
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> steps(stored).stream()
                .anyMatch(s -> s > 100 && s <= BEFORE_END)); // the newest snapshot, retried until S3 answered
        Heartbeat after = RunEvents.first(Topics.RUNS, runId, Heartbeat.class,
                b -> b.newestDurableStep() != null && b.newestDurableStep() > 100);
        assertTrue(after.newestDurableStep() <= BEFORE_END, after.toString());
        holds.release(BEFORE_END);
        assertEquals(0, attempt.awaitExit(), attempt.stderr());

        List<Long> steps = steps(stored);
        assertEquals(STEPS, steps.get(steps.size() - 1), "the final checkpoint is the latest in storage: " + steps);
        var events = RunEvents.until(Topics.RUNS, runId, AttemptSucceeded.class);
        AttemptSucceeded done = RunEvents.ofType(events, AttemptSucceeded.class).get(0);
        long skipLines = attempt.stderr().lines().filter(l -> l.contains(" skipped: ")).count();
        assertTrue(skipLines > 0, attempt.stderr());
        assertEquals(skipLines, done.checkpointsSkipped().longValue(), "every skip is logged and counted");

        List<Heartbeat> beats = RunEvents.ofType(events, Heartbeat.class);
        System.out.printf("S3 outage: %d failed tries and %d skips logged; oldest durable checkpoint reported: %d ms%n",
                attempt.stderr().lines().filter(l -> l.contains(" not written (try ")).count(), skipLines,
                beats.stream().map(Heartbeat::newestDurableAgeMillis).filter(a -> a != null).max(Long::compare)
                        .orElse(-1L));
        assertTrue(beats.stream().anyMatch(b -> Long.valueOf(100).equals(b.newestDurableStep())
                && b.newestDurableAgeMillis() >= OUTAGE.toMillis() - 5_000),
                "no heartbeat during the outage reported the step-100 checkpoint as the newest durable one");
    }

    private static List<Long> steps(StoredRun stored) {
        return stored.manifests().stream().map(CheckpointManifest::step).toList();
    }
}
