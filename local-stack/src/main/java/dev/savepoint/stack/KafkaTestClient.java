package dev.savepoint.stack;

import dev.savepoint.contracts.EventSignatures;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka client of every module's tests, on the shared test stack's broker: sends records (tombstones too) and
 * waits for a service's consumer group to hold partitions; {@link TopicTail} reads what arrives on a topic. Every
 * record it sends is signed as its real sender would sign it (contracts' EventSignatures, with the stack's key): an
 * attempt's event with that attempt's secret, anything else with the services' key; {@link #sendUnsigned} sends one
 * exactly as given, for the tests of forged records.
 */
public final class KafkaTestClient {

    private static KafkaProducer<String, byte[]> producer;
    private static EventSignatures signatures;

    private KafkaTestClient() {
    }

    /** The broker of the shared test stack. */
    public static String bootstrap() {
        return TestStack.shared().settings().kafkaBootstrap();
    }

    /**
     * The properties every test's Kafka client starts from: the shared stack's broker and its super user
     * {@code admin} (SASL); add the client's own settings to a copy.
     */
    public static Map<String, Object> clientConfig() {
        return TestStack.shared().kafkaAdminConfig();
    }

    /** {@link #clientConfig()} plus {@code settings}. */
    public static Map<String, Object> clientConfig(Map<String, Object> settings) {
        Map<String, Object> c = new java.util.HashMap<>(clientConfig());
        c.putAll(settings);
        return c;
    }

    /**
     * Sends bytes signed with the services' key (a tombstone, a null value, unsigned) and waits for the broker's ack
     * (acks=all): the consumer reads them as a service's record, so a malformed one is refused for what it is.
     * Returns where it landed.
     */
    public static RecordMetadata send(String topic, String key, byte[] value) {
        List<Header> headers = value == null ? List.of() : List.of(new RecordHeader(EventSignatures.HEADER,
                signatures().signAsService(value).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return sendUnsigned(topic, key, value, headers);
    }

    /** Sends the record exactly as given, with these headers only (a forged, unsigned or tampered record). */
    public static RecordMetadata sendUnsigned(String topic, String key, byte[] value, List<Header> headers) {
        try {
            return producer().send(new ProducerRecord<>(topic, null, key, value, headers)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic + " (key " + key + "): " + e, e);
        }
    }

    /** Sends an event keyed by its run id and signed as its sender would sign it, as every Savepoint producer does. */
    public static RecordMetadata send(String topic, SavepointEvent event) {
        try {
            return producer().send(signed(topic, event)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + event.type() + " to " + topic + ": " + e, e);
        }
    }

    /** The signatures of the shared test stack's key: what the services verify with. */
    public static synchronized EventSignatures signatures() {
        if (signatures == null) {
            signatures = new EventSignatures(TestStack.shared().eventKey());
        }
        return signatures;
    }

    private static ProducerRecord<String, byte[]> signed(String topic, SavepointEvent event) {
        byte[] value = Json.write(event);
        return new ProducerRecord<>(topic, null, event.runId(), value, signatures().headers(event, value));
    }

    /** Sends the events as one burst (all in flight together, keyed by run id), then waits for every ack. */
    public static void sendAll(String topic, List<? extends SavepointEvent> events) {
        List<java.util.concurrent.Future<RecordMetadata>> acks = events.stream()
                .map(e -> producer().send(signed(topic, e))).toList();
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
        try (Admin admin = Admin.create(clientConfig())) {
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
        try (Admin admin = Admin.create(clientConfig())) {
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
            producer = new KafkaProducer<>(clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 0)),
                    new StringSerializer(), new ByteArraySerializer());
            KafkaProducer<String, byte[]> created = producer;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> created.close(Duration.ofSeconds(5))));
        }
        return producer;
    }
}
