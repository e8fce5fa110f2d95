package dev.savepoint.contracts.events;

import java.time.Instant;
import java.util.UUID;

/** Checks and fills the envelope fields that every event record shares. */
final class Envelope {

    private Envelope() {
    }

    static String id(String id) {
        return id == null ? UUID.randomUUID().toString() : id;
    }

    static Instant occurredAt(Instant occurredAt) {
        return occurredAt == null ? Instant.now() : occurredAt;
    }

    static int schemaVersion(Integer version) {
        return version == null || version == 0 ? SavepointEvent.SCHEMA_VERSION : version;
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
