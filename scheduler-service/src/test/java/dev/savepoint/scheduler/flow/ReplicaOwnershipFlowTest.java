package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.scheduler.messaging.RunOwnership;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Several scheduler replicas (issue 15): a lease is judged only by the replica that reads the run's events. A second
 * member joins the scheduler's consumer group on the real broker and takes partitions of savepoint.runs; a run whose
 * partition it holds is not failed by this replica when its launch lease runs out (this replica cannot see its
 * AttemptStarted), while a run launched after it, in a partition this replica reads, is. Once the other member leaves,
 * this replica takes the partition over and judges the run.
 */
@QuarkusTest
@TestProfile(ReplicaOwnershipFlowTest.ShortLaunchTimeout.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ReplicaOwnershipFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /** A launched attempt that has not started within 3 s failed to launch. */
    public static class ShortLaunchTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.scheduler.launch-timeout", "3s");
        }
    }

    @Inject
    RunOwnership ownership;
    @ConfigProperty(name = "mp.messaging.incoming.runs.group.id")
    String group;

    private static String cause(String runId) {
        Object cause = LeaseVisibilityFlowTest.attempt(runId, 1).get("cause");
        return cause == null ? null : cause.toString();
    }

    @Test
    void aRunWhoseEventsAnotherReplicaReadsIsJudgedByThatReplicaOnly() {
        String orphanRun = judgedOnlyByItsOwner();
        // the other member left: this replica reads the partition now, and the orphan's lease has long run out
        await().atMost(DEADLINE).until(() -> ownership.owns(orphanRun));
        await().atMost(DEADLINE).until(() -> "LAUNCH_FAILED".equals(cause(orphanRun)));
    }

    /** While another member of the group holds a run's partition; returns that run. */
    private String judgedOnlyByItsOwner() {
        try (KafkaConsumer<String, byte[]> other = new KafkaConsumer<>(KafkaTestClient.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "second-scheduler-replica")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            other.subscribe(List.of(Topics.RUNS));
            await().atMost(DEADLINE).until(() -> {
                other.poll(Duration.ofMillis(200));
                return !other.assignment().isEmpty();
            });
            Set<Integer> theirs = other.assignment().stream().map(p -> p.partition()).collect(Collectors.toSet());
            int partitions = other.partitionsFor(Topics.RUNS).size();
            assertTrue(theirs.size() < partitions, "the group shares the partitions: the other holds " + theirs);

            // Submitted in this order, so the orphan's launch was sent before the control's.
            String orphan = null;
            String control = null;
            for (int i = 0; i < 60 && control == null; i++) {
                String runId = submit(Fixtures.spec(LeaseVisibilityFlowTest.name("owner"), 3, 5));
                boolean elsewhere = theirs.contains(RunOwnership.partitionOf(runId, partitions));
                if (orphan == null && elsewhere) {
                    orphan = runId;
                } else if (orphan != null && !elsewhere) {
                    control = runId;
                }
            }
            String orphanRun = orphan;
            String controlRun = control;
            assertTrue(orphanRun != null && controlRun != null, "runs in both replicas' partitions");
            await().atMost(DEADLINE).until(() -> !ownership.owns(orphanRun) && ownership.owns(controlRun));

            await().atMost(DEADLINE).until(() -> "LAUNCH_FAILED".equals(cause(controlRun)));
            assertEquals(null, cause(orphanRun), "the replica that cannot see the orphan's events does not judge it");
            assertEquals("LAUNCHING", LeaseVisibilityFlowTest.attempt(orphanRun, 1).get("state"));
            assertFalse(ownership.owns(orphanRun));
            return orphanRun;
        }
    }
}
