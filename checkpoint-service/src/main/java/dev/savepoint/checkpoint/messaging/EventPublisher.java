package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.CatalogMetrics;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Failures;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends this service's events to {@code savepoint.checkpoints} (key: run id) and parks the batch consumer's failed
 * records in the {@code .dlq} twin of their topic ({@link DeadLetters}' format). Both wait for the broker's ack, so
 * a consumer acks its records (and their offsets get committed) only after what it had to send is stored. Its events
 * are signed with the services' key (contracts' EventSignatures).
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final MutinyEmitter<byte[]> events;
    private final MutinyEmitter<byte[]> deadLetters;
    private final CatalogMetrics metrics;
    private final EventSignatures signatures;

    public EventPublisher(@Channel("checkpoint-events-out") MutinyEmitter<byte[]> events,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetters, CatalogMetrics metrics,
            EventSignatures signatures) {
        this.signatures = signatures;
        this.events = events;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** A record and the failure that parks it. */
    public record DeadLetter(ConsumerRecord<String, byte[]> record, Throwable failure) {
    }

    public void publish(SavepointEvent event) {
        events.sendMessageAndAwait(signed(event));
    }

    /** Sends all, then waits until the broker stored every one: one round trip for a batch, not one per event. */
    public void publishAll(List<SavepointEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = batch.stream()
                .map(e -> events.sendMessage(signed(e))).toList();
        Uni.join().all(sends).andFailFast().await().indefinitely();
    }

    private KafkaRecord<String, byte[]> signed(SavepointEvent event) {
        byte[] value = Json.write(event);
        return KafkaRecord.of(event.runId(), value).withHeader(EventSignatures.HEADER,
                signatures.signature(event, value));
    }

    /** Copies each record to the DLQ twin of its topic, with why and where it came from in headers. */
    public void deadLetterAll(List<DeadLetter> letters) {
        for (DeadLetter letter : letters) {
            ConsumerRecord<String, byte[]> record = letter.record();
            LOG.warnf("dead-lettering %s/%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    Failures.describe(letter.failure()));
            OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(Topics.dlq(record.topic())).withKey(record.key())
                    .withHeaders(DeadLetters.headers(record, letter.failure())).build();
            deadLetters.sendMessageAndAwait(Message.of(record.value()).addMetadata(metadata));
            metrics.deadLettered(record.topic());
        }
    }
}
