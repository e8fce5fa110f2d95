package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history API and the console show each attempt's fingerprint and whether its resume could be bit-exact. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ResumeExactnessTest {

    private static final DeterminismFingerprint HERE = new DeterminismFingerprint("AuthenticAMD", "AMD EPYC", "avx2",
            "AVX2,STRICT", "avx2", 1, "0.36.0", "2.7.1", "17", "0.1.0");

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;

    @Test
    void attemptsCarryTheirFingerprintAndResumeExactness() {
        String runId = TestCheckpoints.runId("exact");
        TestCheckpoints events = new TestCheckpoints(s3, config.s3().bucket());
        var spec = Specs.withRetention(new RetentionSpec(5, 0, "loss", "min", 0, null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "node-a", 11L)
                .withDeterminism(HERE, null, List.of()));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 2, spec, "ckpt-1", 30L, "node-b", 12L)
                .withDeterminism(HERE, false, List.of("isa: avx512 -> avx2")));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}/attempts", runId)
                .then().statusCode(200).body("[1].resumeExact", equalTo(false)));
        given().get("/api/runs/{runId}/attempts", runId).then()
                .body("[0].resumeExact", equalTo(null))
                .body("[0].fingerprint.cpuVendor", equalTo("AuthenticAMD"))
                .body("[0].fingerprint.intraOpThreads", equalTo(1))
                .body("[1].resumeDifferences[0]", equalTo("isa: avx512 -> avx2"));
        given().get("/console/runs/{runId}", runId).then().statusCode(200)
                .body(containsString("<td class=\"exact\">no: <span title=\"isa: avx512 -&gt; avx2\">"));
    }
}
