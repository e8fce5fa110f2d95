package dev.savepoint.trainer;

import static dev.savepoint.trainer.Attempts.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CommandDeadLetterTest {

    @BeforeEach
    void commandConsumerIsListening() {
        KafkaTestClient.awaitCommandConsumerAssigned();
    }

    @Test
    void poisonCommandGoesToDlqWithReasonAndThePartitionGoesOn() {
        String run = Attempts.runId("poison");
        try (var dlq = new KafkaTestClient.Tail(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.send(Topics.COMMANDS, run, "{not json".getBytes(StandardCharsets.UTF_8));

            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> run.equals(r.key()), TIMEOUT);
            assertTrue(reason(parked).startsWith("poison record"), reason(parked));
            assertTrue(new String(parked.value(), StandardCharsets.UTF_8).equals("{not json"));
        }
        // the same key, so the same partition: the next command is still processed
        Attempts.send(Attempts.launch(run, 1, Attempts.SHORT_SPEC));
        Attempts.awaitState(run, 1, "SUCCEEDED");
    }

    @Test
    void launchWithRunIdThatCannotNameAProcessIsDeadLettered() {
        String key = Attempts.runId("badid");
        LaunchAttempt launch = Attempts.launch(key + "/../x", 1, Attempts.SHORT_SPEC);
        try (var dlq = new KafkaTestClient.Tail(Topics.dlq(Topics.COMMANDS))) {
            KafkaTestClient.send(Topics.COMMANDS, key, Json.write(launch));

            ConsumerRecord<String, byte[]> parked = dlq.awaitRecord(r -> key.equals(r.key()), TIMEOUT);
            assertTrue(reason(parked).contains("run id '" + key + "/../x' cannot be launched"), reason(parked));
        }
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
