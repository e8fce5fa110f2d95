package dev.savepoint.checkpoint.support;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from "now" on, without a consumer group, so a test sees what the service emits after it starts. */
public final class TopicWatcher implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicWatcher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cps-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before the test produces anything
    }

    /** Every record seen so far (polls for new ones first). */
    public synchronized List<ConsumerRecord<String, byte[]>> records() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Events of one run seen so far, of one type; unparseable records are skipped. */
    public <T extends SavepointEvent> List<T> events(String runId, Class<T> type) {
        List<T> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records()) {
            if (runId.equals(r.key())) {
                try {
                    SavepointEvent e = Json.event(r.value());
                    if (type.isInstance(e)) {
                        events.add(type.cast(e));
                    }
                } catch (RuntimeException ignored) {
                    // another test's poison record
                }
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
