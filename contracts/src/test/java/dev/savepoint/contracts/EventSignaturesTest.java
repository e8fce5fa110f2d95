package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventSignaturesTest {

    private static final EventSignatures K = new EventSignatures("k".repeat(EventSignatures.MIN_KEY_LENGTH));
    private static final EventSignatures OTHER = new EventSignatures("o".repeat(EventSignatures.MIN_KEY_LENGTH));

    private static ConsumerRecord<String, byte[]> record(byte[] value, String signature) {
        RecordHeaders headers = new RecordHeaders();
        if (signature != null) {
            headers.add(new RecordHeader(EventSignatures.HEADER, signature.getBytes(StandardCharsets.UTF_8)));
        }
        return new ConsumerRecord<>("savepoint.runs", 0, 7L, 0L, TimestampType.CREATE_TIME, 0, 0, "r", value,
                headers, java.util.Optional.empty());
    }

    private static String reason(EventSignatures verifier, ConsumerRecord<String, byte[]> record) {
        return assertThrows(EventSignatures.SignatureException.class, () -> verifier.verify(record)).getMessage();
    }

    @Test
    void anAttemptsEventSignedWithItsOwnSecretVerifiesAndAnyOtherDoesNot() {
        AttemptSucceeded done = AttemptSucceeded.of("run-a", 2, 10, "a".repeat(64), null, null, null);
        byte[] value = Json.write(done);
        String own = EventSignatures.signAsAttempt(K.attemptSecret("run-a", 2), value);
        assertEquals(done.id(), K.verify(record(value, own)).id());

        String otherAttempt = EventSignatures.signAsAttempt(K.attemptSecret("run-a", 1), value);
        assertTrue(reason(K, record(value, otherAttempt)).contains("does not match"));
        String otherRun = EventSignatures.signAsAttempt(K.attemptSecret("run-b", 2), value);
        assertTrue(reason(K, record(value, otherRun)).contains("does not match"));
        assertTrue(reason(OTHER, record(value, own)).contains("does not match"), "another key verifies nothing");
        assertTrue(reason(K, record(value, null)).contains("has no savepoint-signature header"));
    }

    @Test
    void aTamperedValueNoLongerVerifies() {
        byte[] value = Json.write(CheckpointCommitted.of("run-a", 1, "ck", 5, 1L));
        String signature = K.signAsService(value);
        byte[] tampered = new String(value, StandardCharsets.UTF_8).replace("\"step\":5", "\"step\":99999")
                .getBytes(StandardCharsets.UTF_8);
        assertNotEquals(new String(value, StandardCharsets.UTF_8), new String(tampered, StandardCharsets.UTF_8));
        assertEquals(5, ((CheckpointCommitted) K.verify(record(value, signature))).step());
        assertTrue(reason(K, record(tampered, signature)).contains("does not match"));
    }

    @Test
    void anAttemptMaySignNeitherCommandsNorTheServicesEvents() {
        LaunchAttempt launch = LaunchAttempt.of("run-a", 1, SpecFixtures.demo(), null, null);
        byte[] value = Json.write(launch);
        String byAttempt = EventSignatures.signAsAttempt(K.attemptSecret("run-a", 1), value);
        assertThrows(EventSignatures.SignatureException.class, () -> K.verifyFromService(record(value, byAttempt)));
        assertTrue(reason(K, record(value, byAttempt)).contains("only a service may send"));
        assertEquals(launch.id(), K.verifyFromService(record(value, K.signAsService(value))).id());

        byte[] committed = Json.write(CheckpointCommitted.of("run-a", 1, "ck", 5, 1L));
        assertTrue(reason(K, record(committed, EventSignatures.signAsAttempt(K.attemptSecret("run-a", 1),
                committed))).contains("only a service may send"));
    }

    @Test
    void signPicksTheFormItsSenderUses() {
        List<SavepointEvent> events = List.of(AttemptSucceeded.of("run-a", 3, 1, "b".repeat(64), null, null, null),
                CheckpointCommitted.of("run-a", 3, "ck", 1, 1L));
        for (SavepointEvent e : events) {
            byte[] value = Json.write(e);
            Header header = K.headers(e, value).lastHeader(EventSignatures.HEADER);
            assertEquals(e.id(), K.verify(record(value, new String(header.value(), StandardCharsets.UTF_8))).id());
        }
        assertTrue(K.sign(events.get(0), Json.write(events.get(0))).startsWith("attempt "));
        assertTrue(K.sign(events.get(1), Json.write(events.get(1))).startsWith("service "));
    }

    @Test
    void aShortOrMissingKeyIsRefusedNamingTheVariable() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventSignatures(null)).getMessage()
                .contains(EventSignatures.KEY_VARIABLE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventSignatures("short")).getMessage()
                .contains(EventSignatures.KEY_VARIABLE));
    }
}
