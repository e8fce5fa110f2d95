package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared stack's broker authenticates every client and lets each user do what its ACLs grant (KafkaUsers) and
 * nothing else. The records written here are unsigned junk keyed {@code kafka-acl-test-...}: a service that reads
 * them dead-letters them like any forgery.
 */
class KafkaAuthorizationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    static LocalStack stack;

    @BeforeAll
    static void stack() {
        stack = TestStack.shared();
    }

    @Test
    void aClientWithoutCredentialsCannotProduceOrConsume() {
        Map<String, Object> anonymous = Map.of("bootstrap.servers", stack.settings().kafkaBootstrap());
        Throwable sent = sendFailure(anonymous, Topics.RUNS);
        assertInstanceOf(TimeoutException.class, sent, "a client without SASL never gets the broker's metadata");
        try (var consumer = consumer(anonymous)) {
            Throwable read = failure(() -> consumer.partitionsFor(Topics.RUNS, Duration.ofSeconds(5)));
            assertInstanceOf(TimeoutException.class, read);
        }
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        Map<String, Object> wrong = new HashMap<>(KafkaClientAuth.scram(KafkaUsers.ATTEMPT, "not-the-password"));
        wrong.put("bootstrap.servers", stack.settings().kafkaBootstrap());
        assertInstanceOf(SaslAuthenticationException.class, sendFailure(wrong, Topics.RUNS));
        try (var consumer = consumer(wrong)) {
            assertInstanceOf(SaslAuthenticationException.class,
                    failure(() -> consumer.partitionsFor(Topics.RUNS, DEADLINE)));
        }
        Map<String, Object> stranger = new HashMap<>(KafkaClientAuth.scram("mallory", "guess"));
        stranger.put("bootstrap.servers", stack.settings().kafkaBootstrap());
        assertInstanceOf(SaslAuthenticationException.class, sendFailure(stranger, Topics.CHECKPOINTS));
    }

    @Test
    void anAttemptWritesRunAndCheckpointEventsAndNothingElse() throws Exception {
        Map<String, Object> attempt = stack.kafkaClientConfig(KafkaUsers.ATTEMPT);
        try (var producer = producer(attempt)) {
            assertNotNull(send(producer, Topics.RUNS));
            assertNotNull(send(producer, Topics.CHECKPOINTS));
        }
        assertInstanceOf(TopicAuthorizationException.class, sendFailure(attempt, Topics.COMMANDS));
        assertInstanceOf(TopicAuthorizationException.class, sendFailure(attempt, Topics.dlq(Topics.RUNS)));
        for (String topic : Topics.all()) {
            assertInstanceOf(TopicAuthorizationException.class, readFailure(attempt, topic), "reading " + topic);
        }
    }

    @Test
    void theSchedulerCannotPublishCheckpointEvents() {
        assertInstanceOf(TopicAuthorizationException.class,
                sendFailure(stack.kafkaClientConfig(KafkaUsers.SCHEDULER), Topics.CHECKPOINTS));
    }

    @Test
    void checkpointServiceCannotSendCommands() {
        assertInstanceOf(TopicAuthorizationException.class,
                sendFailure(stack.kafkaClientConfig(KafkaUsers.CHECKPOINT), Topics.COMMANDS));
    }

    @Test
    void trainerServiceCannotSendCommandsNorReadCheckpointEvents() {
        Map<String, Object> trainer = stack.kafkaClientConfig(KafkaUsers.TRAINER);
        assertInstanceOf(TopicAuthorizationException.class, sendFailure(trainer, Topics.COMMANDS));
        assertInstanceOf(TopicAuthorizationException.class, readFailure(trainer, Topics.CHECKPOINTS));
    }

    @Test
    void aServiceCannotJoinAnotherServicesConsumerGroup() {
        Map<String, Object> checkpoint = new HashMap<>(stack.kafkaClientConfig(KafkaUsers.CHECKPOINT));
        checkpoint.put(ConsumerConfig.GROUP_ID_CONFIG, "scheduler-service-acl-test");
        try (var consumer = consumer(checkpoint)) {
            consumer.subscribe(List.of(Topics.RUNS));
            assertInstanceOf(GroupAuthorizationException.class, pollFailure(consumer));
        }
    }

    @Test
    void everyUsersPasswordIsKeptOwnerOnly() throws Exception {
        java.nio.file.Path users = stack.settings().root().resolve("kafka").resolve("users");
        for (String user : KafkaUsers.all()) {
            java.nio.file.Path file = users.resolve(user + ".password");
            assertTrue(java.nio.file.Files.isRegularFile(file), file + " exists");
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> auth) {
        Map<String, Object> c = new HashMap<>(auth);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> auth) {
        Map<String, Object> c = new HashMap<>(auth);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic) throws Exception {
        byte[] junk = "not an event".getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(topic, "kafka-acl-test-" + UUID.randomUUID(), junk))
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Why a record to {@code topic} as this client was not written (fails the test when it was). */
    private static Throwable sendFailure(Map<String, Object> auth, String topic) {
        try (var producer = producer(auth)) {
            return failure(() -> send(producer, topic));
        }
    }

    /** Why reading {@code topic}'s first partition from its start as this client failed (outside any group). */
    private static Throwable readFailure(Map<String, Object> auth, String topic) {
        try (var consumer = consumer(auth)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            return pollFailure(consumer);
        }
    }

    /** Polls until the consumer fails; fails the test when it read records or just waited out the deadline. */
    private static Throwable pollFailure(KafkaConsumer<String, byte[]> consumer) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                    throw new AssertionError("the consumer read records it has no right to");
                }
            } catch (RuntimeException e) {
                return e;
            }
        }
        throw new AssertionError("the consumer neither read nor failed within " + DEADLINE.toSeconds() + " s");
    }

    private interface Action {
        Object run() throws Exception;
    }

    /** The exception {@code action} ends with (unwrapped from an ExecutionException); fails when it succeeds. */
    private static Throwable failure(Action action) {
        try {
            Object result = action.run();
            throw new AssertionError("expected a refusal, got " + result);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e;
        }
    }
}
