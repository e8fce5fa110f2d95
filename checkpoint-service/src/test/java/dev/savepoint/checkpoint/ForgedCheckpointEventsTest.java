package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * Forged CheckpointWritten events (issue 11: they created REJECTED rows for a run that does not exist and a step-99999
 * row on a real run). Even when the files they name are really in S3 (so that the event would be committed), one
 * without the signature of the attempt it names goes to the DLQ with the reason and creates no row.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ForgedCheckpointEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final EventSignatures FORGER = new EventSignatures("a key that is not the services' key".repeat(2));

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    @Test
    void aForgedCheckpointOfARunThatDoesNotExistIsDeadLetteredAndCreatesNoRow() {
        String runId = TestCheckpoints.runId("forged-unknown");
        CheckpointWritten forged = new TestCheckpoints(s3, config.s3().bucket()).store(runId, 100, 1, 0.4);
        byte[] value = Json.write(forged);
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            send(runId, value, EventSignatures.signAsAttempt(FORGER.attemptSecret(runId, 1), value));
            assertParked(dlq, runId, "does not match its content");
        }
        given().get("/api/checkpoints/{id}", forged.checkpointId()).then().statusCode(404);
    }

    @Test
    void anUnsignedCheckpointIsDeadLetteredAndCreatesNoRow() {
        String runId = TestCheckpoints.runId("forged-unsigned");
        CheckpointWritten forged = new TestCheckpoints(s3, config.s3().bucket()).store(runId, 100, 1, 0.4);
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            KafkaTestClient.sendUnsigned(Topics.CHECKPOINTS, runId, Json.write(forged), List.of());
            assertParked(dlq, runId, "has no savepoint-signature header");
        }
        given().get("/api/checkpoints/{id}", forged.checkpointId()).then().statusCode(404);
    }

    @Test
    void aForgedStep99999OfARealRunIsDeadLetteredAndTheRunKeepsOnlyItsRealCheckpoint() {
        String runId = TestCheckpoints.runId("forged-step");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        CheckpointWritten real = checkpoints.store(runId, 100, 1, 0.4);
        checkpoints.send(Topics.CHECKPOINTS, real); // signed with attempt 1's own secret
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", real.checkpointId()).then()
                .statusCode(200).body("state", equalTo("COMMITTED")));

        CheckpointWritten forged = checkpoints.store(runId, 99_999, 1, 0.01);
        byte[] value = Json.write(forged);
        String secretOfAnotherAttempt = KafkaTestClient.signatures().attemptSecret(runId, 2);
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            send(runId, value, EventSignatures.signAsAttempt(secretOfAnotherAttempt, value));
            assertParked(dlq, runId, "signed for another run or attempt");
        }
        given().get("/api/checkpoints/{id}", forged.checkpointId()).then().statusCode(404);
        List<String> ids = given().get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200).extract()
                .jsonPath().getList("items.id", String.class);
        assertEquals(List.of(real.checkpointId()), ids);
    }

    private static void send(String runId, byte[] value, String signature) {
        List<Header> headers = List.of(new RecordHeader(EventSignatures.HEADER,
                signature.getBytes(StandardCharsets.UTF_8)));
        KafkaTestClient.sendUnsigned(Topics.CHECKPOINTS, runId, value, headers);
    }

    /** The batch that held the record was applied before its dead letters were sent: what it changed is visible. */
    private static void assertParked(TopicTail dlq, String runId, String reason) {
        ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> runId.equals(r.key()), DEADLINE);
        String stated = DeadLetters.reason(parked).orElse("<no reason header>");
        assertTrue(stated.contains(reason), stated);
    }
}
