package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The consumer failure policy on both topics the scheduler reads, against the real broker and database: unreadable
 * records (tombstones too) are parked with the reason and the next event is applied. (A transient failure, the
 * database going down, is {@link PostgresOutageTest}.)
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsumerFailurePolicyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    RunRepository runs;

    private static String run() {
        return submit(Fixtures.spec("policy-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
    }

    @Test
    void tombstoneOnTheRunTopicIsDeadLetteredAndTheNextRunEventIsApplied() {
        String runId = run();
        try (FakeWorker worker = new FakeWorker(runId); TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.send(Topics.RUNS, null);
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.DATA_ERROR, "row 3", 4, null, 0L,
                    "attempt", null));

            await().atMost(DEADLINE).until(() -> state(runId).equals("GAVE_UP"));
            assertTombstone(dlq.awaitRecord(r -> runId.equals(r.key()), DEADLINE));
        }
    }

    @Test
    void tombstoneOnTheCheckpointTopicIsDeadLetteredAndTheNextCheckpointEventIsApplied() {
        String runId = run();
        try (FakeWorker worker = new FakeWorker(runId);
                TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.send(Topics.CHECKPOINTS, null);
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-1", 700L, 10L));

            await().atMost(DEADLINE).until(() -> lastCommittedStep(runId) == 700L);
            assertTombstone(dlq.awaitRecord(r -> runId.equals(r.key()), DEADLINE));
        }
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopicAndTheNextEventIsApplied() {
        String runId = run();
        try (FakeWorker worker = new FakeWorker(runId); TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.send(Topics.RUNS, "{not json".getBytes(StandardCharsets.UTF_8));
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.DATA_ERROR, "row 3", 4, null, 0L,
                    "attempt", null));

            await().atMost(DEADLINE).until(() -> state(runId).equals("GAVE_UP"));
            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> runId.equals(r.key()), DEADLINE);
            assertEquals("{not json", new String(parked.value(), StandardCharsets.UTF_8));
            String reason = DeadLetters.reason(parked).orElse("<no reason header>");
            assertTrue(reason.contains("is unreadable: invalid SavepointEvent"), reason);
            assertEquals(List.of(parked.offset()), dlq.records().stream().filter(r -> runId.equals(r.key()))
                    .map(ConsumerRecord::offset).toList(), "the event after it was applied, not parked");
        }
    }

    private long lastCommittedStep(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findById(runId).lastCommittedStep);
    }

    private static void assertTombstone(ConsumerRecord<String, byte[]> parked) {
        String reason = DeadLetters.reason(parked).orElse("<no reason header>");
        assertTrue(reason.contains("is unreadable: null value (tombstone)"), reason);
    }
}
