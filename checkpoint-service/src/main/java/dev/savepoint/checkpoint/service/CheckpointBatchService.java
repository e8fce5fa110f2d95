package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.repository.ProcessedEventRepository;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a batch of checkpoint events in one transaction (the per-event work joins it): the same effects as one
 * by one, with one commit instead of hundreds. A batch without corrupt marks (the usual one: written checkpoints and
 * this service's own outcome events, which change nothing) is applied with a few statements for the whole batch; one
 * that also marks checkpoints corrupt goes event by event, in order. Any failure rolls the whole batch back for the caller to retry it or
 * replay the events one at a time.
 */
@ApplicationScoped
public class CheckpointBatchService {

    private final CheckpointCommitService commits;
    private final ProcessedEventRepository processed;
    private final RunRepository runs;

    public CheckpointBatchService(CheckpointCommitService commits, ProcessedEventRepository processed,
            RunRepository runs) {
        this.commits = commits;
        this.processed = processed;
        this.runs = runs;
    }

    /** The outcome events to publish once the transaction committed. */
    @Transactional
    public List<SavepointEvent> apply(List<SavepointEvent> events, Verdicts verdicts) {
        if (events.stream().noneMatch(CheckpointCorrupt.class::isInstance)) { // the usual batch: set-wise statements
            List<CheckpointWritten> written = events.stream().filter(CheckpointWritten.class::isInstance)
                    .map(CheckpointWritten.class::cast).toList();
            return written.isEmpty() ? List.of() : commits.onWrittenAll(written, verdicts);
        }
        List<SavepointEvent> outcomes = new ArrayList<>();
        for (SavepointEvent event : events) {
            if (event instanceof CheckpointWritten written) {
                outcomes.addAll(commits.onWritten(written, verdicts));
            } else if (event instanceof CheckpointCorrupt corrupt) {
                commits.onCorrupt(corrupt);
            }
        }
        return outcomes;
    }

    /**
     * Ids of the events whose outcome needs no storage check: already processed, or from an attempt older than its
     * run's newest (fenced). Read without locks: a run's newest attempt only grows and processed ids are pruned only
     * long after any redelivery, so the transaction agrees (if it did not, {@link Verdicts} refuses to guess).
     */
    @Transactional
    public Set<String> alreadyDecided(List<CheckpointWritten> events) {
        Set<String> decided = new HashSet<>(processed.processedAmong(events.stream().map(SavepointEvent::id).toList()));
        Map<String, Integer> newest = runs.currentAttempts(events.stream().map(SavepointEvent::runId).toList());
        events.stream().filter(e -> e.attempt() < newest.getOrDefault(e.runId(), 0)).forEach(e -> decided.add(e.id()));
        return decided;
    }
}
