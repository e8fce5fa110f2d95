package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.stack.KafkaTestClient;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * Forged events on the topics the scheduler reads (issue 11: a forged AttemptSucceeded made a live run SUCCEEDED with
 * a made-up hash): without the signature of the attempt they name, each is dead-lettered with the reason and the run
 * is unchanged; the real attempt's events still apply.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ForgedRunEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REAL_HASH = "a".repeat(64);
    private static final String FAKE_HASH = "f".repeat(64);

    @Inject
    RunRepository runs;

    private static String submitted() {
        return submit(Fixtures.spec("forged-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
    }

    /** Attempt 1 of the run is launched and reports itself started: RUNNING. */
    private static void running(FakeWorker worker, String runId) {
        await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
        worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, Json.read(Fixtures.spec("x", 3, 5),
                RunSpec.class), null, null, "test", 1L));
        await().atMost(DEADLINE).until(() -> state(runId).equals("RUNNING"));
    }

    @Test
    void aForgedAttemptSucceededIsDeadLetteredAndTheRealOneStillDecides() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId); TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            running(worker, runId);
            byte[] forged = Json.write(AttemptSucceeded.of(runId, 1, 100, FAKE_HASH, 0.1, 1, 0));
            EventSignatures forger = new EventSignatures("a key that is not the services' key".repeat(2));
            send(Topics.RUNS, runId, forged, EventSignatures.signAsAttempt(forger.attemptSecret(runId, 1), forged));

            assertParked(dlq, runId, forged, "does not match its content");
            assertEquals("RUNNING", state(runId), "the forged success changed nothing");

            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, REAL_HASH, 0.1, 1, 0));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-100", 100L, 10L, REAL_HASH));
            await().atMost(DEADLINE).until(() -> state(runId).equals("SUCCEEDED"));
            given().when().get("/api/runs/" + runId).then().body("finalParamsSha256", equalTo(REAL_HASH));
        }
    }

    @Test
    void anUnsignedAttemptSucceededIsDeadLetteredAndChangesNothing() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId); TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            running(worker, runId);
            byte[] unsigned = Json.write(AttemptSucceeded.of(runId, 1, 100, FAKE_HASH, 0.1, 1, 0));
            KafkaTestClient.sendUnsigned(Topics.RUNS, runId, unsigned, List.of());

            assertParked(dlq, runId, unsigned, "has no savepoint-signature header");
            assertEquals("RUNNING", state(runId));
            given().when().get("/api/runs/" + runId).then().body("finalParamsSha256", equalTo(null));
        }
    }

    @Test
    void aSuccessSignedWithAnotherAttemptsSecretIsDeadLettered() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId); TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.RUNS))) {
            running(worker, runId);
            byte[] claimed = Json.write(AttemptSucceeded.of(runId, 1, 100, FAKE_HASH, 0.1, 1, 0));
            String secretOfAttempt2 = KafkaTestClient.signatures().attemptSecret(runId, 2);
            send(Topics.RUNS, runId, claimed, EventSignatures.signAsAttempt(secretOfAttempt2, claimed));

            assertParked(dlq, runId, claimed, "signed for another run or attempt");
            assertEquals("RUNNING", state(runId));
        }
    }

    @Test
    void aCheckpointCommittedSignedByAnAttemptIsDeadLetteredAndChangesNothing() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId);
                TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.CHECKPOINTS))) {
            running(worker, runId);
            byte[] committed = Json.write(CheckpointCommitted.of(runId, 1, "ck-forged", 99_999L, 10L));
            String attemptSecret = KafkaTestClient.signatures().attemptSecret(runId, 1);
            send(Topics.CHECKPOINTS, runId, committed, EventSignatures.signAsAttempt(attemptSecret, committed));

            assertParked(dlq, runId, committed, "only a service may send one");
            Long step = QuarkusTransaction.requiringNew().call(() -> runs.findById(runId).lastCommittedStep);
            assertTrue(step == null || step < 99_999L, "no commit recorded, got " + step);
        }
    }

    private static void send(String topic, String runId, byte[] value, String signature) {
        List<Header> headers = List.of(new RecordHeader(EventSignatures.HEADER,
                signature.getBytes(StandardCharsets.UTF_8)));
        KafkaTestClient.sendUnsigned(topic, runId, value, headers);
    }

    /** Once the record is in the DLQ the consumer is done with it: what it changed (nothing) is visible. */
    private static void assertParked(TopicTail dlq, String runId, byte[] value, String reason) {
        ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> runId.equals(r.key()), DEADLINE);
        String stated = DeadLetters.reason(parked).orElse("<no reason header>");
        assertTrue(stated.contains(reason), stated);
        assertEquals(new String(value, StandardCharsets.UTF_8), new String(parked.value(), StandardCharsets.UTF_8));
    }
}
