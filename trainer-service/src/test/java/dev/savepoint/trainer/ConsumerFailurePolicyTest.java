package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import dev.savepoint.trainer.messaging.FlakyCommandHandler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer failure policy on both topics this service reads, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsumerFailurePolicyTest {

    @Inject
    FlakyCommandHandler handler;

    @BeforeEach
    void consumersAreListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void tombstoneCommandGoesToDlqWithReasonAndTheNextLaunchRuns() {
        String run = Attempts.runId("tomb");
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.send(Topics.COMMANDS, run, null);
            Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC)); // same key, same partition

            Attempts.awaitState(run, 1, "SUCCEEDED");
            String reason = reason(dlq.awaitRecord(r -> run.equals(r.key()), TIMEOUT));
            assertTrue(reason.contains("is unreadable: null value (tombstone)"), reason);
        }
    }

    @Test
    void unreadableCommandGoesToDlqWithReasonAndThePartitionGoesOn() {
        String run = Attempts.runId("poison");
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.send(Topics.COMMANDS, run, "{not json".getBytes(StandardCharsets.UTF_8));

            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> run.equals(r.key()), TIMEOUT);
            assertTrue(reason(parked).contains("is unreadable: invalid SavepointEvent"), reason(parked));
            assertEquals("{not json", new String(parked.value(), StandardCharsets.UTF_8));
            assertEquals(Topics.COMMANDS, header(parked, DeadLetters.TOPIC_HEADER));
        }
        Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        Attempts.awaitState(run, 1, "SUCCEEDED");
    }

    @Test
    void launchWithRunIdThatCannotNameAProcessIsDeadLettered() {
        String key = Attempts.runId("badid");
        // contracts refuse to build such an event, so the record is written as a hostile producer would, signed
        byte[] launch = Json.write(Attempts.launch(key, 1, Attempts.SHORT_SPEC));
        byte[] traversal = new String(launch, StandardCharsets.UTF_8)
                .replace("\"" + key + "\"", "\"" + key + "/../x\"").getBytes(StandardCharsets.UTF_8);
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.send(Topics.COMMANDS, key, traversal);

            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> key.equals(r.key()), TIMEOUT);
            assertTrue(reason(parked).contains("field 'runId' must be") && reason(parked).contains(key + "/../x"),
                    reason(parked));
        }
    }

    @Test
    void tombstoneOnTheRunTopicGoesToDlqAndTheNextHeartbeatIsApplied() {
        String run = Attempts.runId("tomb-runs");
        Attempts.send(Attempts.launch(run, 1, Attempts.ENDLESS_SPEC));
        Attempts.awaitState(run, 1, "RUNNING");
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            KafkaTestClient.send(Topics.RUNS, run, null);
            long beyondItsOwnSteps = 99_999_999L;
            KafkaTestClient.send(Topics.RUNS, Heartbeat.of(run, 1, beyondItsOwnSteps, 0, 0L, 0.1, 0.5, 1.0, 0, 1L));

            await().atMost(TIMEOUT).ignoreExceptions()
                    .until(() -> Attempts.view(run, 1).getLong("step") == beyondItsOwnSteps);
            String reason = reason(dlq.awaitRecord(r -> run.equals(r.key()), TIMEOUT));
            assertTrue(reason.contains("is unreadable: null value (tombstone)"), reason);
        } finally {
            KafkaTestClient.send(Topics.COMMANDS, CancelAttempt.of(run, 1, "test over"));
        }
        Attempts.awaitState(run, 1, "CANCELLED");
    }

    @Test
    void launchThatFailsTransientlyIsRetriedAndRunsWithoutGoingToTheDlq() {
        String run = Attempts.runId("flaky");
        handler.failNextCommandsOf(run, 2);
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));

            Attempts.awaitState(run, 1, "SUCCEEDED");
            assertEquals(2, handler.failuresThrown(run), "both injected failures were met and retried");
            // A poison record after it, on the same partition: once it is parked, anything parked before it shows.
            KafkaTestClient.send(Topics.COMMANDS, run, "marker".getBytes(StandardCharsets.UTF_8));
            dlq.awaitRecord(r -> run.equals(r.key()), TIMEOUT);
            List<String> parked = dlq.records().stream().filter(r -> run.equals(r.key()))
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            assertEquals(List.of("marker"), parked);
        }
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return DeadLetters.reason(record).orElse("<no reason header>");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
