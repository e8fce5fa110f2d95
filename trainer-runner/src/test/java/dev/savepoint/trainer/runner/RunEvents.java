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

    /** Reads {@code topic} from the beginning until {@code count} events of {@code runId} have arrived or 30 s passed. */
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

    /**
     * Every event of {@code runId} on {@code topic}, in order, up to and including the first that {@code last}
     * accepts (or all that arrived within 30 s). Events of a run share a partition, so nothing before it is missed.
     */
    static List<SavepointEvent> until(String topic, String runId, Predicate<SavepointEvent> last) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.shared().serviceConfig().get("kafka.bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<SavepointEvent> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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
            return seen;
        }
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
