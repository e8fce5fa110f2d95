package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every event of one run on one topic, read from the real broker with a consumer of its own. */
final class RunEvents {

    private RunEvents() {
    }

    /** Reads {@code topic} from the beginning until {@code count} events of {@code runId} of {@code type} arrived. */
    static <T extends SavepointEvent> List<T> await(String topic, String runId, Class<T> type, int count) {
        List<SavepointEvent> all = until(topic, runId, new Predicate<>() {
            private int seen;

            @Override
            public boolean test(SavepointEvent e) {
                return type.isInstance(e) && ++seen >= count;
            }
        });
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Every event of {@code runId} on {@code topic}, in order, up to and including the first of type {@code last}. */
    static List<SavepointEvent> until(String topic, String runId, Class<? extends SavepointEvent> last) {
        return until(topic, runId, last::isInstance);
    }

    /**
     * Every event of {@code runId} on {@code topic}, in order, up to and including the first that {@code last}
     * accepts; fails after 60 s. Events of a run share a partition, so nothing before it is missed.
     */
    static List<SavepointEvent> until(String topic, String runId, Predicate<SavepointEvent> last) {
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            List<SavepointEvent> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key())) {
                        SavepointEvent e = Json.event(r.value());
                        seen.add(e);
                        if (last.test(e)) {
                            return seen;
                        }
                    }
                }
            }
            throw new AssertionError("no matching event of run " + runId + " on " + topic + " within 60 s; saw "
                    + seen.stream().map(SavepointEvent::type).distinct().toList());
        }
    }

    /** The first event of {@code runId} of {@code type} that matches, reading {@code topic} for up to 60 s. */
    static <T extends SavepointEvent> T first(String topic, String runId, Class<T> type, Predicate<T> matches) {
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (!runId.equals(r.key())) {
                        continue;
                    }
                    SavepointEvent e = Json.event(r.value());
                    if (type.isInstance(e) && matches.test(type.cast(e))) {
                        return type.cast(e);
                    }
                }
            }
            throw new AssertionError("no matching " + type.getSimpleName() + " of run " + runId + " within 60 s");
        }
    }

    /** The events of one type among {@code events}. */
    static <T extends SavepointEvent> List<T> ofType(List<SavepointEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        String bootstrap = TestStack.shared().serviceConfig().get("kafka.bootstrap.servers");
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    static <T extends SavepointEvent> T one(String runId, Class<T> type) {
        String topic = type.getSimpleName().startsWith("Checkpoint") ? Topics.CHECKPOINTS : Topics.RUNS;
        List<T> events = await(topic, runId, type, 1);
        if (events.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " event of run " + runId + " within 30 s");
        }
        return events.get(0);
    }
}
