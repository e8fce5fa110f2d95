package dev.savepoint.checkpoint.service;

import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a batch of checkpoint events in one transaction (the per-event work joins it): the same effects as one
 * by one, with one commit instead of hundreds. Any failure rolls the whole batch back for the caller to replay the
 * events one at a time.
 */
@ApplicationScoped
public class CheckpointBatchService {

    private final CheckpointCommitService commits;

    public CheckpointBatchService(CheckpointCommitService commits) {
        this.commits = commits;
    }

    /** The outcome events to publish once the transaction committed. */
    @Transactional
    public List<SavepointEvent> apply(List<SavepointEvent> events) {
        List<SavepointEvent> outcomes = new ArrayList<>();
        for (SavepointEvent event : events) {
            if (event instanceof CheckpointWritten written) {
                outcomes.addAll(commits.onWritten(written));
            } else if (event instanceof CheckpointCorrupt corrupt) {
                commits.onCorrupt(corrupt);
            }
        }
        return outcomes;
    }
}
