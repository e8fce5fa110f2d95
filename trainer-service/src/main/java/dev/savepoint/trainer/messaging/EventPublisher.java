package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends the supervisor's run events to {@code savepoint.runs} (key: run id) and parks unprocessable commands in
 * {@code savepoint.commands.dlq} with the reason in {@link Topics#DLQ_REASON_HEADER}.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final MutinyEmitter<byte[]> runEvents;
    private final MutinyEmitter<byte[]> deadLetters;

    public EventPublisher(@Channel("run-events-out") MutinyEmitter<byte[]> runEvents,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetters) {
        this.runEvents = runEvents;
        this.deadLetters = deadLetters;
    }

    /** Sends without blocking the caller (the supervisor holds its lock); a send that fails is logged. */
    public void publish(SavepointEvent event) {
        LOG.infof("reporting %s of run %s attempt %d", event.type(), event.runId(), event.attempt());
        runEvents.sendMessage(KafkaRecord.of(event.runId(), Json.write(event))).subscribe().with(
                done -> { },
                failure -> LOG.errorf(failure, "could not send %s %s of run %s", event.type(), event.id(),
                        event.runId()));
    }

    /** Copies the record to the DLQ twin of its topic with why and where it came from; waits for the broker. */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.dlq(record.topic())).withKey(record.key())
                .withHeaders(DeadLetters.headers(record, reason)).build();
        deadLetters.sendMessageAndAwait(Message.of(DeadLetters.value(record)).addMetadata(metadata));
    }

}
