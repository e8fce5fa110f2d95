package dev.savepoint.stack;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka client of every module's tests, on the shared test stack's broker: sends records (tombstones too) and
 * waits for a service's consumer group to hold partitions; {@link TopicTail} reads what arrives on a topic.
 */
public final class KafkaTestClient {

    private static KafkaProducer<String, byte[]> producer;

    private KafkaTestClient() {
    }

    /** The broker of the shared test stack. */
    public static String bootstrap() {
        return TestStack.shared().settings().kafkaBootstrap();
    }

    /** Sends and waits for the broker's ack (acks=all); a null value is a tombstone. Returns where it landed. */
    public static RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer().send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic + " (key " + key + "): " + e, e);
        }
    }

    /** Sends an event keyed by its run id, as every Savepoint producer does. */
    public static RecordMetadata send(String topic, SavepointEvent event) {
        return send(topic, event.runId(), Json.write(event));
    }

    /** Sends the events as one burst (all in flight together, keyed by run id), then waits for every ack. */
    public static void sendAll(String topic, List<? extends SavepointEvent> events) {
        List<java.util.concurrent.Future<RecordMetadata>> acks = events.stream()
                .map(e -> producer().send(new ProducerRecord<>(topic, e.runId(), Json.write(e)))).toList();
        for (var ack : acks) {
            try {
                ack.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot send a burst of " + events.size() + " to " + topic + ": " + e, e);
            }
        }
    }

    /** The offset a consumer group committed for a partition (the next record it will read), -1 for none. */
    public static long committedOffset(String groupId, TopicPartition partition) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            return committed == null ? -1 : committed.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of consumer group " + groupId + ": " + e, e);
        }
    }

    /**
     * Waits until a member of the consumer group holds partitions: a group that starts at the end of its topics
     * reads only what is sent after that.
     */
    public static void awaitAssigned(String groupId, Duration timeout) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            await(timeout, "consumer group " + groupId + " to be assigned partitions", () -> {
                try {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                            .get(10, TimeUnit.SECONDS).get(groupId);
                    return group.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * Checks for {@code duration} that the group's committed offset of the partition never passes {@code offset}:
     * its consumer holds that record (e.g. while the database it needs is down) instead of skipping it.
     */
    public static void assertHeld(String groupId, TopicPartition partition, long offset, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long committed = committedOffset(groupId, partition);
            if (committed > offset) {
                throw new AssertionError("consumer group " + groupId + " committed " + partition + " up to " + committed
                        + ", past the held record at offset " + offset);
            }
            try {
                Thread.sleep(500); // between two looks: this checks that something does not happen for a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while watching " + partition, e);
            }
        }
    }

    /** Polls {@code condition} until it holds; fails naming what it waited for once {@code timeout} passed. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        if (!Ports.await(timeout, condition)) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + " in vain");
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                    new StringSerializer(), new ByteArraySerializer());
            KafkaProducer<String, byte[]> created = producer;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> created.close(Duration.ofSeconds(5))));
        }
        return producer;
    }
}
