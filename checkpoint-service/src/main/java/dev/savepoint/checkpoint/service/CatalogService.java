package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.Attempt;
import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.checkpoint.repository.AttemptRepository;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.retention.RetentionDecision;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the history API reads and changes: runs, attempts, checkpoints, pins and corrupt marks (leases: LeaseService). */
@ApplicationScoped
@Transactional
public class CatalogService {

    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final CheckpointRepository checkpoints;
    private final RetentionService retention;
    private final CheckpointCommitService commits;

    public CatalogService(RunRepository runs, AttemptRepository attempts, CheckpointRepository checkpoints,
            RetentionService retention, CheckpointCommitService commits) {
        this.runs = runs;
        this.attempts = attempts;
        this.checkpoints = checkpoints;
        this.retention = retention;
        this.commits = commits;
    }

    /** One page of something, with the total count. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /**
     * A run's checkpoints with, for committed ones, the retention rule that keeps them or why they go, which ones a
     * later attempt's checkpoint at the same step replaces, and the one a resume would use (null when none).
     */
    public record CheckpointPage(Page<Checkpoint> page, Map<String, String> retentionReasons, List<String> toDelete,
            Map<String, String> replacedBy, String resumePointId) {
    }

    public Page<Run> runs(int page, int size) {
        return new Page<>(runs.page(page, size), page, size, runs.count());
    }

    public Run run(String runId) {
        Run run = runs.findById(runId);
        if (run == null) {
            throw CatalogException.notFound("run '" + runId + "' does not exist (no event has named it yet)");
        }
        return run;
    }

    public List<Attempt> attempts(String runId) {
        run(runId);
        return attempts.ofRun(runId);
    }

    public CheckpointPage checkpoints(String runId, CheckpointState state, int page, int size) {
        run(runId);
        RetentionDecision decision = retention.decide(runId);
        Page<Checkpoint> rows = new Page<>(checkpoints.ofRun(runId, state, page, size), page, size,
                checkpoints.countOfRun(runId, state));
        return new CheckpointPage(rows, decision.reasons(), decision.toDelete(), decision.replacedBy(),
                checkpoints.newestCommittedId(runId, Set.of()).orElse(null));
    }

    /** The newest COMMITTED checkpoint: the one a resume uses (never a replaced one: a later attempt's sorts first). */
    public Checkpoint latest(String runId) {
        // one query when there is an answer (the usual case); the run is looked up only to say why there is none
        return checkpoints.newestCommitted(runId).orElseThrow(() -> {
            run(runId);
            return CatalogException.notFound("run '" + runId + "' has no committed checkpoint yet");
        });
    }

    public Checkpoint checkpoint(String id) {
        Checkpoint row = checkpoints.findById(id);
        if (row == null) {
            throw CatalogException.notFound("checkpoint '" + id + "' does not exist");
        }
        return row;
    }

    public Checkpoint pin(String id, boolean pinned) {
        Checkpoint row = checkpoints.lock(id);
        if (row == null) {
            throw CatalogException.notFound("checkpoint '" + id + "' does not exist");
        }
        if (pinned && row.state != CheckpointState.COMMITTED) {
            throw CatalogException.conflict("checkpoint '" + id + "' is " + row.state
                    + "; only COMMITTED checkpoints can be pinned");
        }
        row.pinned = pinned;
        return row;
    }

    /** Marks a checkpoint CORRUPT; returns the event that tells the other services. */
    public CheckpointCorrupt markCorrupt(String id, String fileName, String message) {
        Checkpoint row = checkpoint(id);
        if (fileName != null && row.files.stream().noneMatch(f -> f.name().equals(fileName))) {
            throw CatalogException.invalid("field 'fileName' is '" + fileName + "' but checkpoint '" + id
                    + "' has no such file; it has " + row.files.stream().map(f -> f.name()).toList());
        }
        if (row.state != CheckpointState.COMMITTED && row.state != CheckpointState.CORRUPT) {
            throw CatalogException.conflict("checkpoint '" + id + "' is " + row.state
                    + "; only COMMITTED checkpoints can be marked corrupt");
        }
        commits.markCorrupt(id, fileName, message);
        return CheckpointCorrupt.of(row.runId, row.attempt, id, fileName, message);
    }
}
