package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.storage.FlakyObjectStore;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No row lock is held while a written checkpoint's objects are read from S3: a slow S3 never blocks the run. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class VerificationOutsideTransactionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @Inject
    FlakyObjectStore store;

    @Test
    void runEventIsAppliedWhileTheRunsCheckpointWaitsForASlowS3() {
        String runId = TestCheckpoints.runId("slow-s3");
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        CheckpointWritten written = checkpoints.store(runId, 100, 1, 0.4);
        String manifest = written.prefix() + CheckpointManifest.FILE_NAME;
        store.holdReadsOf(manifest);
        try {
            checkpoints.send(Topics.CHECKPOINTS, written);
            await().atMost(DEADLINE).until(() -> store.readsWaiting(manifest) == 1);

            // Applying a run event locks the run's row: it would wait for a transaction that holds it during S3 I/O.
            KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(RetentionSpec.defaults()),
                    null, null, "node-a", 11L));
            await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then()
                    .statusCode(200).body("state", equalTo("RUNNING")));
            assertEquals(1, store.readsWaiting(manifest), "the checkpoint's verification still waits for S3");
        } finally {
            store.release(manifest);
        }
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", written.checkpointId())
                .then().statusCode(200).body("state", equalTo("COMMITTED")));
    }
}
