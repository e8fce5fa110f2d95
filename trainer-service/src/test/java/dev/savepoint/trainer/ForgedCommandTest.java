package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands not signed by the scheduler (issue 11: a LaunchAttempt written to savepoint.commands for a run the
 * scheduler never created was trained): unsigned, signed with another key, tampered with after signing, or signed by
 * an attempt, each is dead-lettered with the reason and nothing is launched.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ForgedCommandTest {

    @BeforeEach
    void consumersAreListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void aLaunchForARunTheSchedulerNeverCreatedSignedWithAnotherKeyIsDeadLetteredAndNothingIsLaunched() {
        String run = Attempts.runId("injected");
        byte[] launch = Json.write(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        EventSignatures forger = new EventSignatures("a key that is not the services' key".repeat(2));
        assertRefusedAndNothingLaunched(run, launch, List.of(signature(forger.signAsService(launch))),
                "does not match its content");
    }

    @Test
    void anUnsignedLaunchIsDeadLetteredAndNothingIsLaunched() {
        String run = Attempts.runId("unsigned");
        byte[] launch = Json.write(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        assertRefusedAndNothingLaunched(run, launch, List.of(), "has no savepoint-signature header");
    }

    @Test
    void aLaunchTamperedWithAfterSigningIsDeadLetteredAndNothingIsLaunched() {
        String run = Attempts.runId("tampered");
        byte[] signed = Json.write(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        String signature = KafkaTestClient.signatures().signAsService(signed);
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("\"maxSteps\":300", "\"maxSteps\":301")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(!java.util.Arrays.equals(signed, tampered), "the test changed the command");
        assertRefusedAndNothingLaunched(run, tampered, List.of(signature(signature)), "does not match its content");
    }

    @Test
    void aLaunchSignedWithAnAttemptsSecretIsDeadLetteredAndNothingIsLaunched() {
        String run = Attempts.runId("by-attempt");
        byte[] launch = Json.write(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        String byAttempt = EventSignatures.signAsAttempt(KafkaTestClient.signatures().attemptSecret(run, 1), launch);
        assertRefusedAndNothingLaunched(run, launch, List.of(signature(byAttempt)), "only a service may send it");
    }

    private static void assertRefusedAndNothingLaunched(String run, byte[] value, List<Header> headers,
            String reason) {
        try (var dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.sendUnsigned(Topics.COMMANDS, run, value, headers);

            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> run.equals(r.key()), Attempts.TIMEOUT);
            String stated = DeadLetters.reason(parked).orElse("<no reason header>");
            assertTrue(stated.contains(reason), stated);
            assertEquals(new String(value, StandardCharsets.UTF_8), new String(parked.value(), StandardCharsets.UTF_8));
        }
        // The record is parked, so the consumer is done with it: the handler never saw it.
        given().get("/api/attempts/{run}/{attempt}", run, 1).then().statusCode(404);
    }

    private static Header signature(String value) {
        return new RecordHeader(EventSignatures.HEADER, value.getBytes(StandardCharsets.UTF_8));
    }
}
