package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.Ids;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.run.ForkSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Forks a run from one of its committed checkpoints: checks the request, has checkpoint-service hold the checkpoint
 * for the new run (so that retention and deletes leave it alone while the fork needs it), then submits the fork,
 * whose attempt 1 resumes from it. The calls to checkpoint-service happen outside any transaction.
 */
@ApplicationScoped
public class Forks {

    private final RunService runs;
    private final CheckpointCatalog catalog;

    public Forks(RunService runs, CheckpointCatalog catalog) {
        this.runs = runs;
        this.catalog = catalog;
    }

    /** Starts a fork of {@code parentRunId} at {@code checkpointId}; refusals name the request's field. */
    public RunEntity fork(String parentRunId, String checkpointId, ForkSpec.Overrides overrides) {
        RunSpec parent = runs.spec(parentRunId);
        if (checkpointId == null || !Ids.isCheckpointId(checkpointId)) {
            throw new IllegalArgumentException("field 'checkpointId' must be a checkpoint id (" + Ids.UUID_REGEX
                    + "), got " + (checkpointId == null ? "nothing" : Ids.printable(checkpointId)));
        }
        CheckpointCatalog.CheckpointInfo base = catalog.forkBase(checkpointId, parentRunId);
        RunSpec spec = ForkSpec.of(parent, overrides, base.step());
        String childRunId = RunService.newRunId(spec);
        catalog.holdForFork(checkpointId, parentRunId, childRunId);
        return runs.submitFork(spec, childRunId, parentRunId, checkpointId);
    }
}
