package dev.savepoint.scheduler.flow;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.TestStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays trainer-service over the real broker: collects the commands the scheduler sends for one run and publishes
 * the attempt events a worker would.
 */
final class FakeWorker implements AutoCloseable {

    private final String runId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final List<SavepointEvent> commands = new CopyOnWriteArrayList<>();

    FakeWorker(String runId) {
        this.runId = runId;
        String bootstrap = TestStack.shared().serviceConfig().get("kafka.bootstrap.servers");
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-worker-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(Topics.COMMANDS));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Commands of this run received so far (polls the broker once). */
    List<SavepointEvent> commands() {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
            if (runId.equals(r.key())) {
                commands.add(Json.event(r.value()));
            }
        }
        return commands;
    }

    <T extends SavepointEvent> List<T> commands(Class<T> type) {
        return commands().stream().filter(type::isInstance).map(type::cast).toList();
    }

    void publish(String topic, SavepointEvent event) {
        send(topic, Json.write(event));
    }

    void send(String topic, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, runId, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
