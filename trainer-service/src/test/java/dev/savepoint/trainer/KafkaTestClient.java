package dev.savepoint.trainer;

import static org.awaitility.Awaitility.await;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain Kafka clients of the tests: produce commands, read a topic from its end, wait for the service's consumer. */
public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static void send(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    public static void send(String topic, SavepointEvent event) {
        send(topic, event.runId(), Json.write(event));
    }

    /** Waits until the service's savepoint.commands consumer holds partitions: it reads from the end. */
    public static void awaitCommandConsumerAssigned() {
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.commands.group.id", String.class);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                        .get(10, TimeUnit.SECONDS).get(group);
                return d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    /** A consumer of every partition of a topic, from its end at creation; keeps what it read. */
    public static final class Tail implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        public Tail(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        }

        public ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> match,
                Duration timeout) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> find(match).isPresent());
            return find(match).orElseThrow();
        }

        public <T extends SavepointEvent> T awaitEvent(Class<T> type, Predicate<T> match, Duration timeout) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> !events(type, match).isEmpty());
            return events(type, match).get(0);
        }

        /** The events of a type read so far (after reading what is new). */
        public <T extends SavepointEvent> List<T> events(Class<T> type, Predicate<T> match) {
            poll();
            List<T> found = new ArrayList<>();
            for (var r : records) {
                try {
                    SavepointEvent e = Json.event(r.value());
                    if (type.isInstance(e) && match.test(type.cast(e))) {
                        found.add(type.cast(e));
                    }
                } catch (RuntimeException unreadable) {
                    // another module's test may write anything here
                }
            }
            return found;
        }

        private Optional<ConsumerRecord<String, byte[]>> find(Predicate<ConsumerRecord<String, byte[]>> match) {
            poll();
            return records.stream().filter(match).findFirst();
        }

        private void poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
