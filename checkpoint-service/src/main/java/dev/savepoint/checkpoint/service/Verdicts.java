package dev.savepoint.checkpoint.service;

import dev.savepoint.contracts.events.CheckpointWritten;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the storage check found for each written checkpoint of a batch, by event id, found before the transaction
 * opens so that no S3 read happens while the transaction holds row locks.
 */
public final class Verdicts {

    private final Map<String, ManifestVerifier.Checked> byEventId = new HashMap<>();

    void put(CheckpointWritten event, ManifestVerifier.Checked checked) {
        byEventId.put(event.id(), checked);
    }

    boolean has(CheckpointWritten event) {
        return byEventId.containsKey(event.id());
    }

    /** What the check found; fails for an event that was not checked. */
    ManifestVerifier.Checked of(CheckpointWritten event) {
        ManifestVerifier.Checked problem = byEventId.get(event.id());
        if (problem == null) {
            throw new IllegalStateException("checkpoint " + event.checkpointId() + " (event " + event.id()
                    + ") was not verified before the transaction that commits it; it is tried again on its own");
        }
        return problem;
    }
}
