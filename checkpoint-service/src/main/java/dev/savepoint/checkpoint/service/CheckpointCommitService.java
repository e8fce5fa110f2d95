package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.ProcessedEventRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns written checkpoints into catalog rows: idempotent by event id, fenced by the run's newest attempt, judged by
 * the verdict of their stored objects (found before the transaction, see {@link CheckpointIngest}), then COMMITTED or
 * REJECTED. Returns the events to publish once the transaction commits.
 */
@ApplicationScoped
@Transactional
public class CheckpointCommitService {

    private static final Logger LOG = Logger.getLogger(CheckpointCommitService.class);

    private final ProcessedEventRepository processed;
    private final RunRepository runs;
    private final CheckpointRepository checkpoints;
    private final CatalogMetrics metrics;

    public CheckpointCommitService(ProcessedEventRepository processed, RunRepository runs,
            CheckpointRepository checkpoints, CatalogMetrics metrics) {
        this.processed = processed;
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
    }

    /** Applies a CheckpointWritten; a duplicate changes nothing and returns the outcome already decided. */
    public List<SavepointEvent> onWritten(CheckpointWritten event, Verdicts verdicts) {
        if (!processed.markProcessed(event)) {
            return outcomeOf(checkpoints.findById(event.checkpointId()));
        }
        return decide(event, runs.lockOrCreate(event.runId()), checkpoints.findById(event.checkpointId()), verdicts);
    }

    /**
     * Applies a batch of CheckpointWritten events with a few statements for the whole batch (processed ids recorded,
     * runs created and locked in run id order, existing rows read), then the same decisions as {@link #onWritten}
     * one event after the other; the new rows are inserted together at commit (JDBC batches).
     */
    public List<SavepointEvent> onWrittenAll(List<CheckpointWritten> events, Verdicts verdicts) {
        Set<String> fresh = processed.markAllProcessed(events);
        Map<String, Run> locked = runs.lockOrCreateAll(events.stream().map(SavepointEvent::runId).toList());
        Map<String, Checkpoint> rows = checkpoints.byIds(events.stream().map(CheckpointWritten::checkpointId).toList());
        List<SavepointEvent> outcomes = new ArrayList<>();
        for (CheckpointWritten event : events) {
            String id = event.checkpointId();
            if (!fresh.remove(event.id())) { // processed before, or earlier in this batch
                outcomes.addAll(outcomeOf(rows.get(id)));
                continue;
            }
            outcomes.addAll(decide(event, locked.get(event.runId()), rows.get(id), verdicts));
            rows.computeIfAbsent(id, checkpoints::findById); // the row just persisted, from the session
        }
        return outcomes;
    }

    /** The decision for a first-seen event, its run locked and its row (if any) read. */
    private List<SavepointEvent> decide(CheckpointWritten event, Run run, Checkpoint existing, Verdicts verdicts) {
        if (existing != null && existing.state != CheckpointState.REJECTED) {
            return outcomeOf(existing); // the same checkpoint announced again under a new event id
        }
        Checkpoint row = existing != null ? existing : newRow(event);
        if (event.attempt() < run.currentAttempt) {
            return reject(row, RejectReason.STALE_ATTEMPT, "attempt " + event.attempt()
                    + " is older than the run's newest attempt " + run.currentAttempt + " (fenced)");
        }
        advance(run, event.attempt());
        ManifestVerifier.Checked checked = verdicts.of(event);
        Optional<ManifestVerifier.Problem> problem = checked.problem();
        if (problem.isPresent()) {
            return reject(row, problem.get().reason(), problem.get().message());
        }
        row.state = CheckpointState.COMMITTED;
        row.rejectReason = null;
        row.message = null;
        row.committedAt = Instant.now();
        row.paramsSha256 = checked.paramsSha256();
        metrics.committed(row.totalBytes);
        LOG.infof("committed checkpoint %s of run %s at step %d (attempt %d, %d bytes)", row.id, row.runId, row.step,
                row.attempt, row.totalBytes);
        return List.of(Outcomes.committed(row));
    }

    /** Marks a checkpoint CORRUPT after a failed hash check on download; it is never served as latest again. */
    public void onCorrupt(CheckpointCorrupt event) {
        if (processed.markProcessed(event)) {
            markCorrupt(event.checkpointId(), event.fileName(), event.message());
        }
    }

    /**
     * Marks CORRUPT if the row is committed (or already corrupt); false when there is no such row. Takes the run's
     * lock first, like retention's claims: a claim then sees whether its checkpoint became the newest committed one.
     */
    boolean markCorrupt(String checkpointId, String fileName, String message) {
        Optional<String> runId = checkpoints.runIdOf(checkpointId);
        if (runId.isEmpty()) {
            LOG.warnf("CheckpointCorrupt for unknown checkpoint %s ignored", checkpointId);
            return false;
        }
        runs.lock(runId.get());
        Checkpoint row = checkpoints.lockFresh(checkpointId);
        if (row.state == CheckpointState.COMMITTED) {
            row.state = CheckpointState.CORRUPT;
            row.message = "corrupt" + (fileName == null ? "" : " file " + fileName)
                    + (message == null || message.isBlank() ? "" : ": " + message);
            LOG.warnf("checkpoint %s of run %s marked CORRUPT: %s", row.id, row.runId, row.message);
        }
        return true;
    }

    private List<SavepointEvent> reject(Checkpoint row, RejectReason reason, String message) {
        row.state = CheckpointState.REJECTED;
        row.rejectReason = reason.name();
        row.message = message;
        metrics.rejected(reason);
        LOG.warnf("rejected checkpoint %s of run %s at step %d: %s %s", row.id, row.runId, row.step, reason, message);
        return List.of(Outcomes.rejected(row));
    }

    private static void advance(Run run, int attempt) {
        if (attempt > run.currentAttempt) {
            run.currentAttempt = attempt;
            run.updatedAt = Instant.now();
        }
    }

    private Checkpoint newRow(CheckpointWritten event) {
        Checkpoint row = new Checkpoint();
        row.id = event.checkpointId();
        row.runId = event.runId();
        row.step = event.step();
        row.epoch = event.epoch();
        row.attempt = event.attempt();
        row.bucket = event.bucket();
        row.prefix = event.prefix();
        row.metrics = event.metrics();
        row.files = event.files();
        row.totalBytes = event.totalBytes();
        row.createdAt = event.occurredAt();
        row.state = CheckpointState.PENDING;
        checkpoints.persist(row);
        return row;
    }

    private static List<SavepointEvent> outcomeOf(Checkpoint row) {
        return row == null ? List.of() : Outcomes.of(row).stream().toList();
    }
}
