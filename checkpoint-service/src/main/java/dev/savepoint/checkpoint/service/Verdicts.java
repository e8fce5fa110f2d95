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

    private final Map<String, Optional<ManifestVerifier.Problem>> byEventId = new HashMap<>();

    void put(CheckpointWritten event, Optional<ManifestVerifier.Problem> problem) {
        byEventId.put(event.id(), problem);
    }

    boolean has(CheckpointWritten event) {
        return byEventId.containsKey(event.id());
    }

    /** The problem found, empty for a sound checkpoint; fails for an event that was not checked. */
    Optional<ManifestVerifier.Problem> of(CheckpointWritten event) {
        Optional<ManifestVerifier.Problem> problem = byEventId.get(event.id());
        if (problem == null) {
            throw new IllegalStateException("checkpoint " + event.checkpointId() + " (event " + event.id()
                    + ") was not verified before the transaction that commits it; it is tried again on its own");
        }
        return problem;
    }
}
