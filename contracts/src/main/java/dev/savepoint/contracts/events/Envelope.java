package dev.savepoint.contracts.events;

import dev.savepoint.contracts.Ids;
import java.time.Instant;
import java.util.UUID;

/** Checks and fills the envelope fields that every event record shares. */
final class Envelope {

    /** The longest event id: a UUID has 36 characters, the services' derived ids fit too. */
    static final int MAX_ID = 64;

    private Envelope() {
    }

    /** The event id, the consumers' idempotency key (a processed-event row): generated when absent. */
    static String id(String id) {
        if (id == null) {
            return UUID.randomUUID().toString();
        }
        if (id.isBlank() || id.length() > MAX_ID || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("field 'id' must be 1-" + MAX_ID + " characters without control "
                    + "characters, got '" + Ids.printable(id) + "'");
        }
        return id;
    }

    /** The run id, checked against the one pattern of contracts' {@link Ids}: it becomes a key, a row and a prefix. */
    static void runId(String runId) {
        require(runId, "runId");
        if (!Ids.isRunId(runId)) {
            throw new IllegalArgumentException("field 'runId' must be 1-128 letters, digits, '.', '_' or '-', not "
                    + "starting with '.', got '" + Ids.printable(runId) + "'");
        }
    }

    static Instant occurredAt(Instant occurredAt) {
        return occurredAt == null ? Instant.now() : occurredAt;
    }

    /** Absent (an older producer): the current version; a newer one than this reader knows is refused. */
    static int schemaVersion(Integer version) {
        int v = version == null || version == 0 ? SavepointEvent.SCHEMA_VERSION : version;
        if (v < 1 || v > SavepointEvent.SCHEMA_VERSION) {
            throw new IllegalArgumentException("field 'schemaVersion' must be 1-" + SavepointEvent.SCHEMA_VERSION
                    + " (this reader's version and older), got " + v);
        }
        return v;
    }

    static String type(String given, String expected) {
        if (given != null && !given.equals(expected)) {
            throw new IllegalArgumentException("field 'type' is '" + given + "' but this event is '" + expected + "'");
        }
        return expected;
    }

    static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        if (value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException("required field '" + field + "' is blank");
        }
        return value;
    }

    static int attempt(Integer attempt) {
        if (require(attempt, "attempt") < 1) {
            throw new IllegalArgumentException("field 'attempt' must be >= 1, got " + attempt);
        }
        return attempt;
    }
}
