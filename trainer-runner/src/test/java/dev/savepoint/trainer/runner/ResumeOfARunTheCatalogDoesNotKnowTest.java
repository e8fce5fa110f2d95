package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relaunch of a run the catalog has never heard of (its consumer is behind, or its database is new) resumes from
 * the newest complete checkpoint in storage instead of throwing the earlier attempts' work away and starting at 0.
 */
class ResumeOfARunTheCatalogDoesNotKnowTest {

    @TempDir
    Path dir;

    @Test
    void aRelaunchResumesFromStorageWhenTheCatalogAnswersRunUnknown() throws Exception {
        String runId = "catalog-unknown-" + UUID.randomUUID();
        Path spec = Specs.write(dir, "catalog-unknown", Specs.MLP_ADAMW, 300, 1, Specs.EVERY_100_KEPT);
        AttemptProcess first = AttemptProcess.start(dir, runId, 1, spec, null, Map.of());
        assertEquals(0, first.awaitExit(), first.stderr());

        try (FakeCatalog catalog = new FakeCatalog()) { // knows nothing of the run
            AttemptProcess second = AttemptProcess.start(dir, runId, 2, spec, "latest",
                    Map.of("SAVEPOINT_CHECKPOINT_URL", catalog.url()));
            assertEquals(0, second.awaitExit(), second.stderr());

            String newest = CheckpointManifest.checkpointId(runId, 300, 1);
            assertTrue(second.stdout().contains("resuming from checkpoint " + newest + " at step 300"),
                    second.stdout() + second.stderr());
            assertTrue(second.stderr().contains("does not know run " + runId), second.stderr());
            assertEquals(List.of(), catalog.leasedNewest, "the catalog had nothing to lease");
        }
    }
}
