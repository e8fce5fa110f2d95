package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A built-in checkpoint whose model is sharded, on the real stack: verified shard by shard (the parameter hash runs
 * over the shards in order), refused when one shard is corrupt, each shard served, and every shard deleted with it.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ShardedCheckpointCommitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    private TestCheckpoints checkpoints;
    private TopicTail topic;

    @BeforeEach
    void connect() {
        checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        topic = TopicTail.fromNow(Topics.CHECKPOINTS);
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void shardedModelIsCommittedWithTheParameterHashOfAllItsShardsInOrder() {
        String runId = TestCheckpoints.runId("shards");
        CheckpointWritten written = checkpoints.storeSharded(runId, 100, 1, 3);
        checkpoints.send(Topics.CHECKPOINTS, written);

        CheckpointCommitted committed = awaitCommit(written);
        assertEquals(TestCheckpoints.shardedParamsSha256(100, 1, 3), committed.paramsSha256());
    }

    @Test
    void oneCorruptShardRejectsTheCheckpointNamingThatShard() {
        String runId = TestCheckpoints.runId("shard-flip");
        CheckpointWritten written = checkpoints.storeSharded(runId, 100, 1, 3);
        String second = ShardNames.shard("model", 2, 3);
        ManifestFile shard = written.files().stream().filter(f -> f.name().equals(second)).findFirst().orElseThrow();
        byte[] bytes = TestCheckpoints.safetensors(TestCheckpoints.bytes(new java.util.Random(7), 512));
        assertEquals(shard.size(), bytes.length, "the replacement must differ in content only");
        checkpoints.put(written.prefix() + second, bytes);
        checkpoints.send(Topics.CHECKPOINTS, written);

        CheckpointRejected rejected = await().atMost(DEADLINE).pollInSameThread().until(
                () -> topic.events(CheckpointRejected.class, e -> written.checkpointId().equals(e.checkpointId()))
                        .stream().findFirst().orElse(null), e -> e != null);
        assertEquals(RejectReason.HASH_MISMATCH, rejected.reason());
        given().get("/api/checkpoints/{id}", written.checkpointId()).then()
                .body("state", equalTo("REJECTED")).body("message", containsString(second));
    }

    @Test
    void everyShardIsServedAndDeletedWithItsCheckpoint() {
        String runId = TestCheckpoints.runId("shard-serve");
        CheckpointWritten older = checkpoints.storeSharded(runId, 100, 1, 3);
        checkpoints.send(Topics.CHECKPOINTS, older);
        awaitCommit(older);
        CheckpointWritten newer = checkpoints.storeSharded(runId, 200, 1, 2);
        checkpoints.send(Topics.CHECKPOINTS, newer);
        awaitCommit(newer);

        for (ManifestFile f : older.files()) {
            byte[] body = given().get("/api/checkpoints/{id}/files/{name}", older.checkpointId(), f.name())
                    .then().statusCode(200).header("X-Checkpoint-SHA256", f.sha256()).extract().asByteArray();
            assertEquals(f.sha256(), TestCheckpoints.sha256(body), f.name());
        }
        given().delete("/api/checkpoints/{id}", older.checkpointId()).then().statusCode(200)
                .body("state", equalTo("DELETED"));
        assertEquals(List.of(), checkpoints.keys(older.prefix()));
    }

    private CheckpointCommitted awaitCommit(CheckpointWritten written) {
        return await().atMost(DEADLINE).pollInSameThread().until(
                () -> topic.events(CheckpointCommitted.class, e -> written.checkpointId().equals(e.checkpointId()))
                        .stream().findFirst().orElse(null), e -> e != null);
    }
}
