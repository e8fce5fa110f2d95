package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.PrivatePostgres;
import dev.savepoint.stack.PrivatePostgresProfile;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL (a server of this test's own, not the machine's or the stack's) goes down for 20 s while checkpoint and
 * run events arrive: none is lost or dead-lettered, the partition waits, and everything is applied once it is back.
 * Meanwhile readiness is DOWN naming the database and the console answers 503 naming PostgreSQL.
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
            super("checkpoint-outage");
        }
    }

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "mp.messaging.incoming.checkpoint-events.group.id")
    String group;

    @Test
    void eventsConsumedWhilePostgresIsDownAreAllAppliedAfterItReturnsAndNoneIsDeadLettered() {
        PrivatePostgres db = new OwnDatabase().database();
        assertTrue(jdbcUrl.contains(db.address()), "the service uses the test's own PostgreSQL, not " + jdbcUrl);
        String runId = TestCheckpoints.runId("pg-outage");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        RetentionSpec keepAll = new RetentionSpec(1000, 0, "loss", "min", 0, null); // retention deletes nothing
        KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(keepAll), null, null,
                "node-a", 11L));
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                .statusCode(200).body("state", equalTo("RUNNING")));
        CheckpointWritten before = checkpoints.store(runId, 100, 1, 0.9);
        checkpoints.send(Topics.CHECKPOINTS, before);
        awaitState(before.checkpointId(), "COMMITTED");

        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS));
                TopicTail runsDlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS));
                TopicTail outcomes = TopicTail.fromNow(Topics.CHECKPOINTS)) {
            db.stop();
            // Readiness and the console say what is down: the readiness check names the database, and a console
            // page that cannot read the catalog is a 503 naming PostgreSQL, not a 500.
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name.contains('Database') }.status", equalTo("DOWN")));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/console").then().statusCode(503)
                    .body(containsString("<strong>PostgreSQL (the catalog) is not answering</strong>")));
            List<CheckpointWritten> during = new ArrayList<>();
            RecordMetadata first = null;
            for (long step = 200; step <= 1000; step += 100) {
                CheckpointWritten written = checkpoints.store(runId, step, 1, 1.0 / step);
                RecordMetadata sent = KafkaTestClient.send(Topics.CHECKPOINTS, written);
                first = first == null ? sent : first;
                during.add(written);
            }
            KafkaTestClient.send(Topics.RUNS, Heartbeat.of(runId, 1, 1000, 0, 8000L, 0.01, 0.2, 10.0, 0, 11L));
            TopicPartition partition = new TopicPartition(first.topic(), first.partition());
            long firstOffset = first.offset();
            // The outage lasts while the consumer holds the records: its offset never passes the first of them.
            KafkaTestClient.assertHeld(group, partition, firstOffset, OUTAGE);
            db.start();

            during.forEach(w -> awaitState(w.checkpointId(), "COMMITTED"));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/console").then().statusCode(200)
                    .body(not(containsString("data-part=\"PostgreSQL (the catalog)\""))));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                    .statusCode(200).body("state", equalTo("RUNNING")).body("currentStep", equalTo(1000)));
            List<CheckpointCommitted> committed = outcomes.awaitEvents(CheckpointCommitted.class,
                    e -> runId.equals(e.runId()), during.size(), DEADLINE);
            assertEquals(during.stream().map(CheckpointWritten::checkpointId).sorted().toList(),
                    committed.stream().map(CheckpointCommitted::checkpointId).distinct().sorted().toList());
            await().atMost(DEADLINE).until(() -> KafkaTestClient.committedOffset(group, partition) > firstOffset);
            assertEquals(List.of(), dlq.records().stream().filter(r -> runId.equals(r.key())).toList());
            assertEquals(List.of(), runsDlq.records().stream().filter(r -> runId.equals(r.key())).toList());
        }
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId).then()
                .statusCode(200).body("state", equalTo(state)));
    }
}
