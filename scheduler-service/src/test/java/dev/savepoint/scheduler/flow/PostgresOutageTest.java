package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.PrivatePostgres;
import dev.savepoint.stack.PrivatePostgresProfile;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL (a server of this test's own, not the machine's or the stack's) goes down for 20 s while run and
 * checkpoint events arrive: each is retried until the database is back, none is lost or dead-lettered.
 */
@QuarkusTest
@TestProfile(PostgresOutageTest.OwnDatabase.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class PostgresOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    /** Points the service at the private PostgreSQL. */
    public static class OwnDatabase extends PrivatePostgresProfile {
        public OwnDatabase() {
            super("scheduler-outage");
        }
    }

    @Inject
    RunRepository runs;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "mp.messaging.incoming.runs.group.id")
    String group;

    @Test
    void eventsConsumedWhilePostgresIsDownAreAllAppliedAfterItReturnsAndNoneIsDeadLettered() {
        PrivatePostgres db = new OwnDatabase().database();
        assertTrue(jdbcUrl.contains(db.address()), "the service uses the test's own PostgreSQL, not " + jdbcUrl);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = submit(Fixtures.spec("outage-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
            try (FakeWorker worker = new FakeWorker(runId)) {
                await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            }
            runIds.add(runId);
        }
        try (TopicTail runsDlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS));
                TopicTail checkpointsDlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            db.stop();
            RecordMetadata first = null;
            for (String runId : runIds) {
                KafkaTestClient.send(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-" + runId, 300L, 10L));
                RecordMetadata sent = KafkaTestClient.send(Topics.RUNS, AttemptFailed.of(runId, 1,
                        FailureReason.INVALID_SPEC, "model.type bad", 3, null, 0L, "attempt", null));
                first = first == null ? sent : first;
            }
            TopicPartition partition = new TopicPartition(first.topic(), first.partition());
            long firstOffset = first.offset();
            // The outage lasts while the consumer holds the records: its offset never passes the first of them.
            KafkaTestClient.assertHeld(group, partition, firstOffset, OUTAGE);
            db.start();

            for (String runId : runIds) {
                await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/" + runId).then()
                        .statusCode(200).body("state", equalTo("GAVE_UP"))
                        .body("lastFailureReason", equalTo("INVALID_SPEC")));
                await().atMost(DEADLINE).until(() -> lastCommittedStep(runId) == 300L);
            }
            await().atMost(DEADLINE).until(() -> KafkaTestClient.committedOffset(group, partition) > firstOffset);
            assertEquals(List.of(), runsDlq.records().stream().filter(r -> runIds.contains(r.key())).toList());
            assertEquals(List.of(), checkpointsDlq.records().stream().filter(r -> runIds.contains(r.key())).toList());
        }
    }

    private long lastCommittedStep(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findById(runId).lastCommittedStep);
    }
}
