package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointDeleted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The events this service emits about a checkpoint, with ids derived from the checkpoint and its outcome: a
 * re-emission after a crash or a redelivery carries the same id, so consumers see one event.
 */
final class Outcomes {

    private Outcomes() {
    }

    static String idOf(String type, String checkpointId, String detail) {
        return UUID.nameUUIDFromBytes((type + "/" + checkpointId + "/" + detail).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The event that states the row's verification outcome while it still holds (committed or rejected). */
    static Optional<SavepointEvent> of(Checkpoint row) {
        return switch (row.state) {
            case COMMITTED -> Optional.of(committed(row));
            case REJECTED -> Optional.of(rejected(row));
            default -> Optional.empty();
        };
    }

    static CheckpointCommitted committed(Checkpoint row) {
        return new CheckpointCommitted(idOf(CheckpointCommitted.TYPE, row.id, ""), CheckpointCommitted.TYPE,
                row.runId, row.attempt, occurredAt(row.committedAt), 0, row.id, row.step, row.totalBytes,
                row.paramsSha256);
    }

    static CheckpointRejected rejected(Checkpoint row) {
        RejectReason reason = row.rejectReason == null ? RejectReason.UNKNOWN : RejectReason.valueOf(row.rejectReason);
        return new CheckpointRejected(idOf(CheckpointRejected.TYPE, row.id, reason.name()), CheckpointRejected.TYPE,
                row.runId, row.attempt, null, 0, row.id, row.step, reason, row.message);
    }

    static CheckpointDeleted deleted(Checkpoint row, boolean complete) {
        return new CheckpointDeleted(idOf(CheckpointDeleted.TYPE, row.id, Boolean.toString(complete)),
                CheckpointDeleted.TYPE, row.runId, row.attempt, null, 0, row.id, row.step, complete);
    }

    private static Instant occurredAt(Instant at) {
        return at == null ? Instant.now() : at;
    }
}
