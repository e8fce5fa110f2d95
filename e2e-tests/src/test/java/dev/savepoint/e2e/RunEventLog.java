package dev.savepoint.e2e;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Records every event of one run on {@code savepoint.runs} with the time it arrived, from a thread of its own. */
final class RunEventLog implements AutoCloseable {

    /** An event and when this log received it. */
    record Received(Instant at, SavepointEvent event) {
    }

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String runId;

    RunEventLog() {
        var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.shared().serviceConfig().get("kafka.bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RUNS));
        thread = new Thread(() -> {
            try (consumer) {
                while (!closed) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.key() != null && r.key().equals(runId)) {
                            events.add(new Received(Instant.now(), Json.event(r.value())));
                        }
                    }
                }
            }
        }, "e2e-event-log");
        thread.start();
    }

    void follow(String runId) {
        this.runId = runId;
    }

    <T extends SavepointEvent> List<Received> of(Class<T> type) {
        return events.stream().filter(r -> type.isInstance(r.event())).toList();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join();
    }
}
