package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.stack.HostileRecords;
import dev.savepoint.stack.RestFuzz;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded burst of hostile commands (local-stack's HostileRecords: forged, tampered, signed by an attempt,
 * unreadable, oversize) on savepoint.commands, then one valid LaunchAttempt: every hostile command is in
 * savepoint.commands.dlq with a classified reason and launched nothing, and the valid command after them is carried
 * out (the consumer is not stuck).
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileEventsTest {

    @BeforeEach
    void consumersAreListening() {
        Attempts.awaitConsumersAssigned();
    }

    @Test
    void hostileCommandsAreDeadLetteredWithAReasonAndTheValidLaunchAfterThemRuns() {
        long seed = RestFuzz.seed();
        System.out.printf("HostileEventsTest: seed %d (repeat with -D%s=%d)%n", seed, RestFuzz.SEED_PROPERTY, seed);
        String run = Attempts.runId("hostile");
        LaunchAttempt launch = Attempts.launch(run, 1, Attempts.SHORT_SPEC);
        List<HostileRecords.Hostile> hostile = HostileRecords.generate(launch, seed, 30);
        try (TopicTail dlq = TopicTail.fromNow(Topics.dlq(Topics.COMMANDS))) {
            List<Long> offsets = HostileRecords.sendBurst(Topics.COMMANDS, run, hostile);
            Attempts.send(launch);

            Attempts.awaitState(run, 1, "SUCCEEDED");
            Map<Long, String> reasons = HostileRecords.awaitParked(dlq, Topics.COMMANDS, run, offsets,
                    Attempts.TIMEOUT);
            assertEquals(offsets.size(), reasons.size(), reasons.toString());
            for (int i = 0; i < offsets.size(); i++) {
                String reason = reasons.get(offsets.get(i));
                assertTrue(HostileRecords.isRefusal(reason), hostile.get(i) + " parked with reason: " + reason);
            }
            given().get("/api/attempts/{run}/{attempt}", run, 2).then().statusCode(404); // no hostile one launched
        }
    }
}
