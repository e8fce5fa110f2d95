package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.CancelAttempt;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.RUNS, 2, 41L, "run-1", value);
    }

    @Test
    void tombstoneIsUnreadableAndSaysSo() {
        var e = assertThrows(Failures.UnreadableRecordException.class, () -> Failures.readable(record(null)));
        assertTrue(e.getMessage().startsWith("savepoint.runs/2@41 is unreadable: null value (tombstone)"),
                e.getMessage());
        assertFalse(Failures.isTransient(e));
    }

    @Test
    void documentThatIsNotAnEventIsUnreadableNamingTheProblem() {
        byte[] json = "{\"type\":\"NoSuchEvent\"}".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(Failures.UnreadableRecordException.class, () -> Failures.readable(record(json)));
        assertTrue(e.getMessage().contains("unknown event type 'NoSuchEvent'"), e.getMessage());
        // Jackson's parse errors are IOExceptions, yet the same bytes never parse: not transient.
        assertFalse(Failures.isTransient(e));
        assertFalse(Failures.isTransient(assertThrows(Json.InvalidJsonException.class,
                () -> Json.event("{not json".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void readableRecordGivesItsEvent() {
        CancelAttempt cancel = CancelAttempt.of("run-1", 1, "by a user");
        assertEquals(cancel, Failures.readable(record(Json.write(cancel))));
    }

    @Test
    void databaseS3AndBrokerOutagesAreTransientWhereverTheyAreWrapped() {
        assertTrue(Failures.isTransient(new RuntimeException("tx", new SQLException("refused", "08001"))));
        assertTrue(Failures.isTransient(new SQLException("deadlock detected", "40P01")));
        assertTrue(Failures.isTransient(new SQLException("the database system is starting up", "57P03")));
        assertTrue(Failures.isTransient(new SQLTransientConnectionException("pool")));
        assertTrue(Failures.isTransient(new SQLException("Acquisition timeout while waiting for new connection")));
        assertTrue(Failures.isTransient(new IllegalStateException("cannot stat s3://b/k",
                new ConnectException("Connection refused"))));
        assertTrue(Failures.isTransient(new UncheckedIOException(new SocketTimeoutException("read timed out"))));
        assertTrue(Failures.isTransient(new TimeoutException("Expiring 1 record(s)")));
    }

    @Test
    void bugsAndRefusalsArePermanent() {
        assertFalse(Failures.isTransient(new IllegalStateException("boom")));
        assertFalse(Failures.isTransient(new SQLException("duplicate key value", "23505")));
        assertFalse(Failures.isTransient(new SQLException("no state")));
        assertFalse(Failures.isTransient(new RuntimeException(new InterruptedException())));
    }

    @Test
    void describeNamesTheFailureAndItsRootCause() {
        var failure = new IllegalStateException("cannot read s3://b/k", new ConnectException("Connection refused"));
        assertEquals("IllegalStateException: cannot read s3://b/k (cause: ConnectException: Connection refused)",
                Failures.describe(failure));
    }

    @Test
    void deadLetterHeadersStateWhyAndWhereInSmallRyesFormat() {
        ConsumerRecord<String, byte[]> record = record(null);
        record.headers().add("trace", new byte[] {1});
        var failure = new Failures.UnreadableRecordException(record, "null value (tombstone)");
        var headers = DeadLetters.headers(record, failure);
        assertEquals("savepoint.runs/2@41 is unreadable: null value (tombstone)",
                new String(headers.lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8));
        assertEquals(Topics.RUNS, new String(headers.lastHeader(DeadLetters.TOPIC_HEADER).value(),
                StandardCharsets.UTF_8));
        assertEquals("41", new String(headers.lastHeader(DeadLetters.OFFSET_HEADER).value(), StandardCharsets.UTF_8));
        assertEquals(1, headers.lastHeader("trace").value()[0]);
    }
}
