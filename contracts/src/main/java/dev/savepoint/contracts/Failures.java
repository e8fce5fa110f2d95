package dev.savepoint.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.savepoint.contracts.events.SavepointEvent;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one failure policy of every Savepoint consumer, as a classification: a record that cannot be read is
 * unreadable (dead-lettered at once), a failure of the database, S3 or the broker is transient (retried with backoff
 * until it succeeds: the partition waits), anything else is permanent (dead-lettered with its reason).
 */
public final class Failures {

    /** Types known transient by name, for libraries contracts does not depend on (checked up the class hierarchy). */
    private static final Set<String> TRANSIENT_TYPES = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockAcquisitionException",
            "org.hibernate.PessimisticLockException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.PessimisticLockException",
            "jakarta.persistence.QueryTimeoutException",
            "org.apache.kafka.common.errors.RetriableException",
            "io.minio.errors.ServerException");
    /** SQLSTATE classes and codes of a database that is down, restarting, overloaded or in a lock conflict. */
    private static final List<String> TRANSIENT_SQL_STATES = List.of("08", "40", "53", "57P0", "55P03", "HYT0");
    /** The pool's "no connection in time" carries no SQLSTATE and, through Hibernate, no specific type. */
    private static final List<String> TRANSIENT_MESSAGES = List.of("Acquisition timeout",
            "Unable to acquire JDBC Connection");

    /**
     * The largest event value a consumer reads, in bytes (512 KiB, half the broker's default record limit, so a
     * larger record still reaches the consumer and is dead-lettered instead of being refused out of sight).
     */
    public static final int MAX_EVENT_BYTES = 512 * 1024;

    private Failures() {
    }

    /** The event a record carries; a null value (tombstone) or a document that is not an event is unreadable. */
    public static SavepointEvent readable(ConsumerRecord<?, byte[]> record) {
        if (record.value() == null) {
            throw new UnreadableRecordException(record, "null value (tombstone); Savepoint topics carry events, "
                    + "never tombstones");
        }
        if (record.value().length > MAX_EVENT_BYTES) {
            throw new UnreadableRecordException(record, "its value has " + record.value().length + " bytes, more "
                    + "than the " + MAX_EVENT_BYTES + " an event may have");
        }
        SavepointEvent event;
        try {
            event = Json.event(record.value());
        } catch (Json.InvalidJsonException e) {
            throw new UnreadableRecordException(record, e.getMessage());
        }
        if (event == null) { // the JSON literal null, which Jackson reads as no object at all
            throw new UnreadableRecordException(record, "the value is JSON null, not an event");
        }
        return event;
    }

    /** True when trying again later can succeed: the database, S3 or the broker did not answer or refused for now. */
    public static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof UnreadableRecordException || t instanceof Json.InvalidJsonException
                    || t instanceof JsonProcessingException) {
                return false; // the same bytes will never parse
            }
            if (transientItself(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientItself(Throwable t) {
        if (t instanceof IOException || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof java.util.concurrent.TimeoutException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null
                && TRANSIENT_SQL_STATES.stream().anyMatch(sql.getSQLState()::startsWith)) {
            return true;
        }
        String message = t.getMessage();
        if (t instanceof SQLException || t.getClass().getName().startsWith("org.hibernate.")) {
            if (message != null && TRANSIENT_MESSAGES.stream().anyMatch(message::startsWith)) {
                return true;
            }
        }
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (TRANSIENT_TYPES.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its root cause in one line, e.g. for a dead letter's reason or a retry's log line. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32; depth++) {
            root = root.getCause();
        }
        String text = oneLine(failure);
        return root == failure ? text : text + " (cause: " + oneLine(root) + ")";
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }

    /** A record no consumer can ever process: it is dead-lettered at once, never retried. */
    public static final class UnreadableRecordException extends IllegalArgumentException {
        public UnreadableRecordException(ConsumerRecord<?, ?> record, String why) {
            super(record.topic() + "/" + record.partition() + "@" + record.offset() + " is unreadable: " + why);
        }
    }
}
