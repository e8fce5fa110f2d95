package dev.savepoint.checkpoint.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends this service's events to {@code savepoint.checkpoints} (key: run id) and parks unprocessable records in a
 * {@code .dlq} topic with the reason in {@link Topics#DLQ_REASON_HEADER}. Both wait for the broker's ack, so a
 * consumer acks its record (and its offset gets committed) only after what it had to send is stored.
 */
@ApplicationScoped
public class EventPublisher {

    private final MutinyEmitter<byte[]> events;
    private final MutinyEmitter<byte[]> deadLetters;

    public EventPublisher(@Channel("checkpoint-events-out") MutinyEmitter<byte[]> events,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetters) {
        this.events = events;
        this.deadLetters = deadLetters;
    }

    public void publish(SavepointEvent event) {
        events.sendMessageAndAwait(KafkaRecord.of(event.runId(), Json.write(event)));
    }

    /** Sends all, then waits until the broker stored every one: one round trip for a batch, not one per event. */
    public void publishAll(List<SavepointEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = batch.stream()
                .map(e -> events.sendMessage(KafkaRecord.of(e.runId(), Json.write(e)))).toList();
        Uni.join().all(sends).andFailFast().await().indefinitely();
    }

    /** Copies the record to the DLQ twin of its topic, with why, and where it came from, in headers. */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.dlq(record.topic())).withKey(record.key())
                .withHeaders(DeadLetters.headers(record, reason)).build();
        deadLetters.sendMessageAndAwait(Message.of(DeadLetters.value(record)).addMetadata(metadata));
    }

}
