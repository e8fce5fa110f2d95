package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A private broker killed with SIGKILL and started again: same ports, same data, records written before survive. */
class KafkaRestartTest {

    private static final String TOPIC = "restart-test";

    @TempDir
    Path root;

    @Test
    void killedBrokerStartsAgainOnItsPortsWithItsData() throws Exception {
        StackSettings settings = TestStack.shared().settings().withRoot(root)
                .withKafkaPorts(Ports.freePort("127.0.0.1"), Ports.freePort("127.0.0.1"));
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startKafka();
            send(stack, "before");
            ProcessHandle first = new ManagedProcess("kafka", settings).running().orElseThrow();

            assertTrue(stack.killKafka(), "no broker was killed");
            assertFalse(first.isAlive(), "the broker process survived the kill");
            assertFalse(Ports.listening("127.0.0.1", settings.kafkaPort()), "the broker port still answers");
            assertFalse(stack.killKafka(), "a second kill found a broker");

            stack.startKafka();
            send(stack, "after");
            assertEquals(List.of("before", "after"), readAll(stack));
        } finally {
            stack.down(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
    }

    /** As the private broker's admin: its users and passwords are its own (under its own root). */
    private static Map<String, Object> admin(LocalStack stack, Map<String, Object> settings) {
        Map<String, Object> c = new java.util.HashMap<>(stack.kafkaAdminConfig());
        c.putAll(settings);
        return c;
    }

    private static void send(LocalStack stack, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(admin(stack, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000)), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(LocalStack stack) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(admin(stack, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
