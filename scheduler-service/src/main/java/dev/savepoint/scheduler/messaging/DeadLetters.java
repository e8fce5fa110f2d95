package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Parks a record that can never be processed on its topic's {@code .dlq} twin, with the reason in a header. */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Sends and waits for the broker's ack, so that the original offset is committed only once the copy is safe. */
    public void park(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s[%d]@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        emitter.sendMessageAndAwait(Message.of(dev.savepoint.contracts.DeadLetters.value(record)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(Topics.dlq(record.topic())).withKey(record.key())
                        .withHeaders(dev.savepoint.contracts.DeadLetters.headers(record, reason)).build()));
    }
}
