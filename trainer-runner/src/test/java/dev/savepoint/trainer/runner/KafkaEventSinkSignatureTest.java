package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.events.AttemptSucceeded;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The attempt signs every record with its own secret, which the services verify from the key it was derived from. */
class KafkaEventSinkSignatureTest {

    private static final EventSignatures SERVICES = new EventSignatures("the services' key for this test, 32+ chars");

    @Test
    void everyRecordCarriesTheAttemptsSignatureWhichTheServicesVerify() {
        AttemptSucceeded done = AttemptSucceeded.of("run-s", 3, 40, "c".repeat(64), 0.2, 1, 0);
        try (KafkaEventSink sink = new KafkaEventSink("127.0.0.1:1", SERVICES.attemptSecret("run-s", 3),
                Duration.ofSeconds(1))) {
            ProducerRecord<String, byte[]> record = sink.record("savepoint.runs", done);
            ConsumerRecord<String, byte[]> received = new ConsumerRecord<>(record.topic(), 0, 0L, 0L,
                    TimestampType.CREATE_TIME, 0, 0, record.key(), record.value(), record.headers(), Optional.empty());
            assertEquals(done.id(), SERVICES.verify(received).id());
        }
    }

    @Test
    void aSinkWithoutASecretSendsUnsignedRecords() {
        try (KafkaEventSink sink = new KafkaEventSink("127.0.0.1:1", null, Duration.ofSeconds(1))) {
            var record = sink.record("savepoint.runs", AttemptSucceeded.of("run-s", 1, 1, "c".repeat(64), null, null,
                    null));
            assertNull(record.headers().lastHeader(EventSignatures.HEADER));
        }
    }
}
