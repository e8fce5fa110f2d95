package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.retention.CheckpointView;
import dev.savepoint.checkpoint.retention.RetentionPolicy;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.checkpoint.service.Sweeper;
import dev.savepoint.checkpoint.storage.FlakyObjectStore;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class RetentionGcTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @Inject
    FlakyObjectStore store;
    @Inject
    GcExecutor gc;
    @Inject
    Sweeper sweeper;

    private TestCheckpoints checkpoints;

    @BeforeEach
    void connect() {
        checkpoints = new TestCheckpoints(s3, config.s3().bucket());
    }

    @Test
    void retentionOverFiftyCheckpointsLeavesExactlyWhatThePolicyPredictsWithPinnedAndLeasedSurviving() {
        String runId = TestCheckpoints.runId("gc50");
        RetentionSpec spec = new RetentionSpec(3, 2, "loss", "min", 100, null);
        startRun(runId, spec);
        List<CheckpointWritten> written = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            written.add(checkpoints.store(runId, i * 10L, 1, lossAt(i)));
        }
        CheckpointWritten pinned = written.get(0);
        CheckpointWritten leased = written.get(1);
        checkpoints.send(Topics.CHECKPOINTS, pinned);
        checkpoints.send(Topics.CHECKPOINTS, leased);
        awaitState(leased.checkpointId(), "COMMITTED");
        given().post("/api/checkpoints/{id}/pin", pinned.checkpointId()).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 600, "holder", "restore-test"))
                .post("/api/checkpoints/{id}/lease", leased.checkpointId()).then().statusCode(201);
        written.subList(2, 50).forEach(e -> checkpoints.send(Topics.CHECKPOINTS, e));
        awaitState(written.get(49).checkpointId(), "COMMITTED");

        Set<String> expectedKept = new TreeSet<>(RetentionPolicy.select(spec, written.stream()
                .map(e -> view(e, e == pinned, e == leased)).toList()).kept());
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(expectedKept, idsInState(runId, "COMMITTED")));
        assertTrue(expectedKept.containsAll(Set.of(pinned.checkpointId(), leased.checkpointId())));
        assertEquals(50 - expectedKept.size(), idsInState(runId, "DELETED").size());
        Set<String> keptPrefixes = new TreeSet<>(written.stream()
                .filter(e -> expectedKept.contains(e.checkpointId())).map(CheckpointWritten::prefix).toList());
        Set<String> storedPrefixes = new TreeSet<>(checkpoints.keys("runs/" + runId + "/").stream()
                .map(k -> k.substring(0, k.lastIndexOf('/') + 1)).toList());
        assertEquals(keptPrefixes, storedPrefixes, "S3 holds exactly the kept checkpoints");
        checkpoints.keys("runs/" + runId + "/").forEach(k -> assertTrue(k.endsWith("safetensors")
                || k.endsWith(".json"), k));
        assertEquals(4 * expectedKept.size(), checkpoints.keys("runs/" + runId + "/").size());
    }

    @Test
    void s3ErrorMidGcLeavesPartiallyDeletedAndTheNextGcFinishesIt() {
        String runId = TestCheckpoints.runId("partial");
        startRun(runId, new RetentionSpec(1, 0, "loss", "min", 0, null));
        CheckpointWritten old = checkpoints.store(runId, 10, 1, 0.5);
        checkpoints.send(Topics.CHECKPOINTS, old);
        awaitState(old.checkpointId(), "COMMITTED");
        store.failNextDeleteOf(old.prefix() + "optimizer.safetensors");
        CheckpointWritten newer = checkpoints.store(runId, 20, 1, 0.4);
        checkpoints.send(Topics.CHECKPOINTS, newer);

        awaitState(old.checkpointId(), "PARTIALLY_DELETED");
        assertTrue(checkpoints.exists(old.prefix() + "optimizer.safetensors"), "the failed object remains");
        assertFalse(checkpoints.exists(old.prefix() + "manifest.json"), "the manifest went first");
        assertFalse(checkpoints.exists(old.prefix() + "model.safetensors"));

        gc.collect(runId);
        given().get("/api/checkpoints/{id}", old.checkpointId()).then().body("state", equalTo("DELETED"));
        assertEquals(List.of(), checkpoints.keys(old.prefix()));
        given().get("/api/checkpoints/{id}", newer.checkpointId()).then().body("state", equalTo("COMMITTED"));
        assertEquals(4, checkpoints.keys(newer.prefix()).size());
    }

    @Test
    void sweeperRemovesOrphanObjectsAfterTheGracePeriodButNeverCommittedOnes() {
        String runId = TestCheckpoints.runId("sweep");
        CheckpointWritten committed = checkpoints.store(runId, 10, 1, 0.5);
        checkpoints.send(Topics.CHECKPOINTS, committed);
        awaitState(committed.checkpointId(), "COMMITTED");
        CheckpointWritten orphan = checkpoints.store(runId, 20, 1, 0.4); // written, never announced

        assertEquals(0, sweeper.sweep("runs/" + runId + "/"), "within the grace period nothing goes");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> sweeper.sweep("runs/" + runId + "/") > 0);
        assertEquals(List.of(), checkpoints.keys(orphan.prefix()));
        assertEquals(4, checkpoints.keys(committed.prefix()).size());
    }

    private void startRun(String runId, RetentionSpec spec) {
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 1, Specs.withRetention(spec), null, null, "h", 1L));
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/runs/{runId}", runId).then().statusCode(200)
                .body("retention.keepLast", equalTo(spec.keepLast())));
    }

    /** Losses that wander, so keepBest picks from the middle of the run. */
    private static double lossAt(int i) {
        return 1.0 / i + ((i * 37) % 11) / 50.0;
    }

    private static CheckpointView view(CheckpointWritten e, boolean pinned, boolean leased) {
        return new CheckpointView(e.checkpointId(), e.step(), e.attempt(), Instant.EPOCH, CheckpointState.COMMITTED,
                e.totalBytes(), e.metrics(), pinned, leased);
    }

    private static Set<String> idsInState(String runId, String state) {
        List<String> ids = given().queryParam("state", state).queryParam("size", 500)
                .get("/api/runs/{runId}/checkpoints", runId).then().statusCode(200).extract().path("items.id");
        return new TreeSet<>(ids);
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId).then()
                .statusCode(200).body("state", equalTo(state)));
    }
}
