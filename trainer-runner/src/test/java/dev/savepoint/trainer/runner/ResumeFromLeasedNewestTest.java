package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt resuming from {@code latest} (what the scheduler sends for attempt 2 and later) takes its resume point
 * when it starts, from the catalog's lease-newest: the newest committed checkpoint even when it was committed after
 * the failure was handled, and one that retention keeping a single checkpoint cannot delete between its being chosen
 * and its download. Storage holds attempt 1's checkpoints at 100..500; each resume below holds one step after its
 * resume point and is killed there, before it writes a checkpoint of its own.
 */
class ResumeFromLeasedNewestTest {

    static final int STEPS = 500;

    @TempDir
    static Path dir;
    static String runId;
    static Path spec;
    static Holds holds;

    @BeforeAll
    static void attemptOneWroteItsCheckpoints() throws Exception {
        runId = "leased-newest-" + UUID.randomUUID();
        spec = Specs.write(dir, "leased-newest", Specs.MLP_ADAMW, STEPS, 1, Specs.EVERY_100_KEPT);
        holds = new Holds(dir.resolve("holds"));
        AttemptProcess first = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, first.awaitExit(), first.stderr());
    }

    @Test
    void aCheckpointCommittedAfterTheFailureWasHandledIsTheResumePoint() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            for (long step = 100; step <= 300; step += 100) {
                catalog.put(runId, step, 1, "COMMITTED"); // the catalog when the scheduler handled the failure
            }
            catalog.put(runId, 400, 1, "COMMITTED"); // attempt 1's last commit, landing after the failure event

            AttemptProcess second = resumeHeldAt(2, 401, catalog);

            assertTrue(second.stdout().contains("resuming from checkpoint " + id(400) + " at step 400"),
                    second.stdout() + second.stderr());
            assertEquals(List.of(id(400)), catalog.leasedNewest);
            assertEquals(List.of(id(400)), catalog.released, "the lease is released once the restore is done");
        }
    }

    @Test
    void retentionKeepingOneNeverDeletesTheResumePointOfAnAttemptThatIsStarting() throws Exception {
        StoredRun stored = new StoredRun(runId);
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.keepLast1(stored);
            catalog.put(runId, 100, 1, "COMMITTED");
            AtomicLong next = new AtomicLong(200);
            // The worst moment: the next checkpoint commits, and retention runs, right after lease-newest chose one.
            catalog.afterLeaseNewest(chosen -> catalog.put(runId, next.getAndAdd(100), 1, "COMMITTED"));

            for (int attempt = 2; attempt <= 5; attempt++) {
                long from = 100L * (attempt - 1);
                AttemptProcess p = resumeHeldAt(attempt, from + 1, catalog);
                assertTrue(p.stdout().contains("resuming from checkpoint " + id(from) + " at step " + from),
                        "attempt " + attempt + ": " + p.stdout() + p.stderr());
                assertFalse(catalog.isLeased(id(from)), "attempt " + attempt + " released its lease");
            }
            assertEquals(List.of(id(100), id(200), id(300)), catalog.deleted,
                    "retention deleted each resume point once the next attempt had leased a newer one");
            assertEquals(List.of(400L, 500L), stored.manifests().stream().map(CheckpointManifest::step).toList());
        }
    }

    private static AttemptProcess resumeHeldAt(int attempt, long step, FakeCatalog catalog) throws Exception {
        Map<String, String> env = new HashMap<>(holds.at(step));
        env.put("SAVEPOINT_CHECKPOINT_URL", catalog.url());
        AttemptProcess p = AttemptProcess.start(dir, runId, attempt, spec, "latest", env);
        p.awaitHeldAt(step);
        p.kill();
        return p;
    }

    private static String id(long step) {
        return CheckpointManifest.checkpointId(runId, step, 1);
    }
}
