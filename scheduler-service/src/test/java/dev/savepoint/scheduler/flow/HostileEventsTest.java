package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.HostileRecords;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.RestFuzz;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A seeded burst of hostile records (local-stack's HostileRecords: forged, tampered, unreadable, oversize) on both
 * topics the scheduler reads, then one valid event on each: every hostile record is in the topic's .dlq twin with a
 * reason, the valid events after them are processed (the consumer is not stuck), and the run changed only for them.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void hostileRecordsAreDeadLetteredWithAReasonAndTheValidEventsAfterThemApply() {
        long seed = RestFuzz.seed();
        System.out.printf("HostileEventsTest: seed %d (repeat with -D%s=%d)%n", seed, RestFuzz.SEED_PROPERTY, seed);
        String spec = Fixtures.spec("hostile-" + UUID.randomUUID().toString().substring(0, 8), 3, 5);
        String runId = submit(spec);
        try (FakeWorker worker = new FakeWorker(runId); TopicTail runsDlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS));
                TopicTail checkpointsDlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            AttemptStarted started = AttemptStarted.of(runId, 1, Json.read(spec, RunSpec.class), null, null, "t", 1L);
            CheckpointCommitted committed = CheckpointCommitted.of(runId, 1, UUID.randomUUID().toString(), 10, 100L);
            List<HostileRecords.Hostile> onRuns = HostileRecords.generate(started, seed, 30);
            List<HostileRecords.Hostile> onCheckpoints = HostileRecords.generate(committed, seed + 1, 30);

            List<Long> runOffsets = HostileRecords.sendBurst(Topics.RUNS, runId, onRuns);
            List<Long> checkpointOffsets = HostileRecords.sendBurst(Topics.CHECKPOINTS, runId, onCheckpoints);
            worker.publish(Topics.RUNS, started);
            RecordMetadata valid = KafkaTestClient.send(Topics.CHECKPOINTS, committed);

            await().atMost(DEADLINE).until(() -> state(runId).equals("RUNNING"));
            assertParkedWithReasons(runsDlq, Topics.RUNS, runId, runOffsets, onRuns);
            assertParkedWithReasons(checkpointsDlq, Topics.CHECKPOINTS, runId, checkpointOffsets, onCheckpoints);
            String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.checkpoints.group.id",
                    String.class);
            TopicPartition partition = new TopicPartition(valid.topic(), valid.partition());
            KafkaTestClient.await(DEADLINE, "the valid CheckpointCommitted to be consumed",
                    () -> KafkaTestClient.committedOffset(group, partition) > valid.offset());
            assertFalse(HostileRecords.parked(checkpointsDlq, Topics.CHECKPOINTS, runId).containsKey(valid.offset()),
                    "the valid CheckpointCommitted was processed, not parked");
        }
    }

    static void assertParkedWithReasons(TopicTail dlq, String topic, String runId, List<Long> offsets,
            List<HostileRecords.Hostile> sent) {
        Map<Long, String> reasons = HostileRecords.awaitParked(dlq, topic, runId, offsets, DEADLINE);
        assertEquals(offsets.size(), reasons.size(), reasons.toString());
        for (int i = 0; i < offsets.size(); i++) {
            String reason = reasons.get(offsets.get(i));
            assertTrue(HostileRecords.isRefusal(reason), sent.get(i) + " parked with reason: " + reason);
        }
    }
}
