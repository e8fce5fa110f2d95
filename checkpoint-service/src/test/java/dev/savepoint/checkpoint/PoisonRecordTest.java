package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.checkpoint.support.TopicWatcher;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class PoisonRecordTest {

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void poisonRecordsGoToTheDlqWithTheReasonAndTheGoodEventAfterThemIsCommitted() {
        String runId = TestCheckpoints.runId("poison");
        try (TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket(), bootstrap);
                TopicWatcher dlq = new TopicWatcher(bootstrap, Topics.dlq(Topics.CHECKPOINTS))) {
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{not json"));
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{\"type\":\"NoSuchEvent\",\"runId\":\"" + runId
                    + "\",\"attempt\":1}"));
            checkpoints.send(Topics.CHECKPOINTS, runId, utf8("{\"type\":\"CheckpointWritten\",\"schemaVersion\":1,"
                    + "\"runId\":\"" + runId + "\",\"attempt\":1,\"step\":5,\"bucket\":\"savepoint\","
                    + "\"prefix\":\"runs/x/\",\"files\":[]}")); // everything but checkpointId
            CheckpointWritten good = checkpoints.store(runId, 100, 1, 0.4);
            checkpoints.send(Topics.CHECKPOINTS, good);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                    .get("/api/checkpoints/{id}", good.checkpointId()).then().statusCode(200)
                    .body("state", equalTo("COMMITTED")));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .until(() -> reasons(dlq.records(), runId).size() == 3);
            List<String> reasons = reasons(dlq.records(), runId);
            assertTrue(reasons.get(0).contains("poison record"), reasons.get(0));
            assertTrue(reasons.get(1).contains("unknown event type 'NoSuchEvent'"), reasons.get(1));
            assertTrue(reasons.get(2).contains("checkpointId"), reasons.get(2));
        }
    }

    private static List<String> reasons(List<ConsumerRecord<String, byte[]>> records, String runId) {
        return records.stream().filter(r -> runId.equals(r.key()))
                .map(r -> r.headers().lastHeader(Topics.DLQ_REASON_HEADER))
                .map(h -> h == null ? "<no reason header>" : new String(h.value(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
