package dev.savepoint.scheduler.flow;

import dev.savepoint.stack.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a dead-letter topic on the real broker. */
final class DeadLetters {

    private DeadLetters() {
    }

    /** True when the topic holds a record of {@code runId} with that value and a reason header. */
    static boolean contains(String topic, String runId, String value) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.shared().serviceConfig().get("kafka.bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            for (int i = 0; i < 10; i++) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (runId.equals(r.key()) && value.equals(new String(r.value(), StandardCharsets.UTF_8))
                            && r.headers().lastHeader(dev.savepoint.contracts.Topics.DLQ_REASON_HEADER) != null) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
