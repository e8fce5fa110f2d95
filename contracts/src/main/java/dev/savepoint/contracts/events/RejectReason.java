package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why checkpoint-service refused to commit a written checkpoint. */
public enum RejectReason {
    /** The event came from an attempt older than the run's newest one (a zombie). */
    STALE_ATTEMPT,
    /** The manifest object is missing or unreadable. */
    MANIFEST_MISSING,
    /** The manifest does not list what the event says, or lists files that are not stored. */
    MANIFEST_MISMATCH,
    /** A stored object's size or SHA-256 differs from the manifest. */
    HASH_MISMATCH,
    @JsonEnumDefaultValue
    UNKNOWN
}
