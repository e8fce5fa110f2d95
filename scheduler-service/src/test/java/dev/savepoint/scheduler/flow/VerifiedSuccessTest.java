package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A success is believed only when the final checkpoint bears it out (issue 11): the claim waits for the commit of a
 * checkpoint at its step, and the parameter hash checkpoint-service computed from that checkpoint must be the
 * attempt's finalParamsSha256; otherwise the attempt fails as UNVERIFIED_SUCCESS and the run resumes.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class VerifiedSuccessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REAL_HASH = "a".repeat(64);
    private static final String CLAIMED_HASH = "c".repeat(64);

    private static String running(FakeWorker worker, String runId, int attempt) {
        await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == attempt);
        worker.publish(Topics.RUNS, AttemptStarted.of(runId, attempt, Json.read(Fixtures.spec("x", 3, 5),
                RunSpec.class), null, null, "test", 1L));
        await().atMost(DEADLINE).until(() -> state(runId).equals("RUNNING"));
        return runId;
    }

    private static String submitted() {
        return submit(Fixtures.spec("verified-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
    }

    @Test
    void aSuccessWaitsForItsFinalCheckpointAndMatchesIt() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId)) {
            running(worker, runId, 1);
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, REAL_HASH, 0.1, 1, 0));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-50", 50L, 10L, "5".repeat(64)));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> state(runId).equals("RUNNING"));

            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-100", 100L, 10L, REAL_HASH));
            await().atMost(DEADLINE).until(() -> state(runId).equals("SUCCEEDED"));
            given().when().get("/api/runs/" + runId).then().body("finalParamsSha256", equalTo(REAL_HASH))
                    .body("step", equalTo(100));
            assertEquals(1, worker.commands(LaunchAttempt.class).size());
        }
    }

    @Test
    void aClaimTheFinalCheckpointContradictsIsRefusedAndTheRunResumes() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId)) {
            running(worker, runId, 1);
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-100", 100L, 10L, REAL_HASH));
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, CLAIMED_HASH, 0.1, 1, 0));

            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().get("/api/runs/" + runId + "/attempts").then().statusCode(200)
                    .body("[0].state", equalTo("FAILED")).body("[0].cause", equalTo("UNVERIFIED_SUCCESS"))
                    .body("[0].message", containsString(REAL_HASH));
            // the next attempt resumes from the committed final checkpoint and reports what it holds
            running(worker, runId, 2);
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 2, 100, REAL_HASH, 0.1, 0, 0));
            await().atMost(DEADLINE).until(() -> state(runId).equals("SUCCEEDED"));
            given().when().get("/api/runs/" + runId).then().body("finalParamsSha256", equalTo(REAL_HASH));
        }
    }

    @Test
    void aSuccessWhoseFinalCheckpointIsRejectedIsRefused() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId)) {
            running(worker, runId, 1);
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, REAL_HASH, 0.1, 1, 0));
            worker.publish(Topics.CHECKPOINTS, CheckpointRejected.of(runId, 1, "ck-100", 100L,
                    RejectReason.HASH_MISMATCH, "model.safetensors has SHA-256 x but the manifest says y"));

            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().get("/api/runs/" + runId + "/attempts").then()
                    .body("[0].cause", equalTo("UNVERIFIED_SUCCESS"))
                    .body("[0].message", containsString("was rejected: HASH_MISMATCH"));
        }
    }

    /**
     * The rejection (savepoint.checkpoints) and the claim (savepoint.runs) come on different topics in any order: a
     * rejection that is applied before the claim still refutes it, instead of leaving the claim waiting for a commit
     * that never comes.
     */
    @Test
    void aRejectionThatArrivesBeforeTheClaimRefutesIt() {
        String runId = submitted();
        try (FakeWorker worker = new FakeWorker(runId)) {
            running(worker, runId, 1);
            worker.publish(Topics.CHECKPOINTS, CheckpointRejected.of(runId, 1, "ck-100", 100L,
                    RejectReason.HASH_MISMATCH, "model.safetensors has SHA-256 x but the manifest says y"));
            // a commit after it on the same partition: once the run shows it, the rejection before it was applied
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-50", 50L, 10L, REAL_HASH));
            await().atMost(DEADLINE).until(() -> Fixtures.checkpointSeen(runId, 50));
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, REAL_HASH, 0.1, 1, 0));

            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().get("/api/runs/" + runId + "/attempts").then()
                    .body("[0].cause", equalTo("UNVERIFIED_SUCCESS"))
                    .body("[0].message", containsString("ck-100 was rejected: HASH_MISMATCH"));
        }
    }
}
