package dev.savepoint.checkpoint.service;

import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Turns a batch of checkpoint events into catalog changes without holding locks during S3 I/O: first, outside any
 * transaction, the objects of every written checkpoint that may still be committed are verified (re-hashed up to
 * the configured size); then one short transaction applies the batch, re-checking idempotency and fencing under
 * the run's row lock.
 */
@ApplicationScoped
public class CheckpointIngest {

    private final CheckpointBatchService batches;
    private final ManifestVerifier verifier;

    public CheckpointIngest(CheckpointBatchService batches, ManifestVerifier verifier) {
        this.batches = batches;
        this.verifier = verifier;
    }

    /** The outcome events to publish; the catalog changes are committed when this returns. */
    public List<SavepointEvent> apply(List<SavepointEvent> events) {
        List<CheckpointWritten> written = events.stream().filter(CheckpointWritten.class::isInstance)
                .map(CheckpointWritten.class::cast).toList();
        Set<String> decided = written.isEmpty() ? Set.of() : batches.alreadyDecided(written);
        Verdicts verdicts = new Verdicts();
        for (CheckpointWritten event : written) {
            if (!decided.contains(event.id()) && !verdicts.has(event)) {
                verdicts.put(event, verifier.check(event));
            }
        }
        return batches.apply(events, verdicts);
    }
}
