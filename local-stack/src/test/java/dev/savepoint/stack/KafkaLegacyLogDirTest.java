package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log dir that an older stack formatted and wrote to (PLAINTEXT, no users, no ACLs) starts under the SASL broker
 * with its records, and gets the users and ACLs on that start.
 */
class KafkaLegacyLogDirTest {

    private static final String TOPIC = "legacy-test";

    @TempDir
    Path root;

    @Test
    void aLogDirFormattedWithoutSaslKeepsItsRecordsAndGetsUsersAndAcls() throws Exception {
        StackSettings settings = TestStack.shared().settings().withRoot(root)
                .withKafkaPorts(Ports.freePort("127.0.0.1"), Ports.freePort("127.0.0.1"));
        LocalStack stack = new LocalStack(settings);
        try {
            startPlaintextBroker(settings);
            sendPlaintext(settings, "written before SASL");
            assertTrue(new ManagedProcess("kafka", settings).stop("TERM", Duration.ofSeconds(30)),
                    "the old broker was not running");

            stack.startKafka();

            assertEquals(List.of("written before SASL"), readAsAdmin(stack));
            Map<String, Object> attempt = new HashMap<>(stack.kafkaClientConfig(KafkaUsers.ATTEMPT));
            attempt.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            try (var producer = new KafkaProducer<>(attempt, new StringSerializer(), new StringSerializer())) {
                assertNotNull(producer.send(new ProducerRecord<>(Topics.RUNS, "legacy", "x")).get(30,
                        TimeUnit.SECONDS), "the attempt user exists and may write savepoint.runs");
            }
        } finally {
            stack.down(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
    }

    /** The broker as the stack ran it before SASL: one PLAINTEXT listener, no authorizer. */
    private static void startPlaintextBroker(StackSettings settings) throws Exception {
        Path dir = settings.root().resolve("kafka");
        String host = settings.host();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + settings.kafkaControllerPort());
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + settings.kafkaPort() + ",CONTROLLER://" + host
                + ":" + settings.kafkaControllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.kafkaPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("auto.create.topics.enable", "true");
        Path config = Classpaths.writeProperties(dir.resolve("server.properties"), p);
        String cp = Classpaths.read("runtime.classpath");
        ProcessHandle format = new ManagedProcess("kafka-format", settings).start(List.of(Classpaths.javaExecutable(),
                "-Xmx256m", "-cp", cp, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()), dir, Map.of());
        format.onExit().get(60, TimeUnit.SECONDS);
        ManagedProcess broker = new ManagedProcess("kafka", settings);
        broker.start(List.of(Classpaths.javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka",
                config.toString()), dir, Map.of());
        assertTrue(Ports.await(Duration.ofSeconds(60), () -> Ports.listening(host, settings.kafkaPort())),
                "the old-style broker did not start:\n" + broker.logTail(20));
    }

    private static void sendPlaintext(StackSettings settings, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAsAdmin(LocalStack stack) {
        Map<String, Object> c = new HashMap<>(stack.kafkaAdminConfig());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new ArrayList<>();
            KafkaTestClient.await(Duration.ofSeconds(30), "the record written before SASL", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
            return values;
        }
    }
}
