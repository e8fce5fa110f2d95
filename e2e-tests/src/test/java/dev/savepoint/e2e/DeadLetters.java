package dev.savepoint.e2e;

import dev.savepoint.contracts.Topics;
import dev.savepoint.stack.KafkaTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        List<String> dlqs = List.of(Topics.dlq(Topics.RUNS), Topics.dlq(Topics.CHECKPOINTS),
                Topics.dlq(Topics.COMMANDS));
        readToEnd(dlqs, r -> {
            if (runId.equals(r.key())) {
                found.add(r.topic() + "@" + r.offset() + ": " + new String(r.value() == null ? new byte[0]
                        : r.value()));
            }
        });
        return found;
    }

    /** Hands every record of {@code topics}, from the start to the end each has now, to {@code each}. */
    static void readToEnd(List<String> topics, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaTestClient.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            KafkaTestClient.await(Duration.ofSeconds(120), "the end of " + topics, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
    }
}
