package dev.savepoint.e2e;

import dev.savepoint.contracts.Topics;
import dev.savepoint.stack.KafkaTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The records of one run parked in any {@code .dlq} topic, read from the start to the end of each. */
final class DeadLetters {

    private DeadLetters() {
    }

    static List<String> of(String runId) {
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaTestClient.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.RUNS, Topics.CHECKPOINTS, Topics.COMMANDS)) {
                consumer.partitionsFor(Topics.dlq(topic)).forEach(p ->
                        partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            KafkaTestClient.await(Duration.ofSeconds(60), "the end of every .dlq topic", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (runId.equals(r.key())) {
                        found.add(r.topic() + "@" + r.offset() + ": " + new String(r.value() == null ? new byte[0]
                                : r.value()));
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return found;
    }
}
