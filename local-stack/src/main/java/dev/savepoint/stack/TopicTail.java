package dev.savepoint.stack;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of one topic of the shared test stack, without a consumer group (so it takes nothing from
 * a service's group), from its end at creation or from its start, and keeps the records a test is interested in.
 */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Predicate<ConsumerRecord<String, byte[]>> keep;
    private final List<ConsumerRecord<String, byte[]>> kept = new ArrayList<>();

    private TopicTail(String topic, boolean fromStart, Predicate<ConsumerRecord<String, byte[]>> keep) {
        this.keep = keep;
        this.consumer = new KafkaConsumer<>(KafkaTestClient.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromStart) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position); // resolve the position now, before the test sends anything
    }

    /** The records that arrive on {@code topic} from now on. */
    public static TopicTail fromNow(String topic) {
        return new TopicTail(topic, false, r -> true);
    }

    /** The records of one key (a run id) on {@code topic}, from its first record on. */
    public static TopicTail fromStart(String topic, String key) {
        return new TopicTail(topic, true, r -> key.equals(r.key()));
    }

    /** Every kept record so far, after reading what is new. */
    public synchronized List<ConsumerRecord<String, byte[]>> records() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (keep.test(r)) {
                kept.add(r);
            }
        });
        return List.copyOf(kept);
    }

    /** The events of a type so far that match; records that are not events are skipped. */
    public <T extends SavepointEvent> List<T> events(Class<T> type, Predicate<? super T> match) {
        List<T> found = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records()) {
            parse(r).filter(type::isInstance).map(type::cast).filter(match).ifPresent(found::add);
        }
        return found;
    }

    /** The first kept record that matches, waiting for it up to {@code timeout}. */
    public ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> match,
            Duration timeout) {
        KafkaTestClient.await(timeout, "a matching record", () -> records().stream().anyMatch(match));
        return records().stream().filter(match).findFirst().orElseThrow();
    }

    /** The first event of a type that matches, waiting for it up to {@code timeout}. */
    public <T extends SavepointEvent> T awaitEvent(Class<T> type, Predicate<? super T> match, Duration timeout) {
        return awaitEvents(type, match, 1, timeout).get(0);
    }

    /** At least {@code count} events of a type that match, waiting for them up to {@code timeout}. */
    public <T extends SavepointEvent> List<T> awaitEvents(Class<T> type, Predicate<? super T> match, int count,
            Duration timeout) {
        KafkaTestClient.await(timeout, count + " " + type.getSimpleName() + " event(s)",
                () -> events(type, match).size() >= count);
        return events(type, match);
    }

    private static Optional<SavepointEvent> parse(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? Optional.empty() : Optional.of(Json.event(record.value()));
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // another test's poison record
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
