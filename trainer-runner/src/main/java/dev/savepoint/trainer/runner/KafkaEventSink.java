package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events to Kafka keyed by run id, with acks=all and idempotence so that a run's events stay ordered and whole. */
public final class KafkaEventSink implements EventSink {

    private final KafkaProducer<String, byte[]> producer;

    public KafkaEventSink(String bootstrap) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.CLIENT_ID_CONFIG, "savepoint-attempt"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(String topic, SavepointEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.runId(), Json.write(event)), (meta, error) -> {
                if (error != null) {
                    System.err.println("savepoint: could not deliver " + event.type() + " " + event.id() + ": "
                            + error);
                }
            });
        } catch (RuntimeException e) { // e.g. no broker metadata within max.block.ms: the caller must not die of it
            System.err.println("savepoint: could not send " + event.type() + " " + event.id() + ": " + e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
