package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The run API says whether each resume could be bit-exact, from the attempt's own AttemptStarted. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ResumeExactnessFlowTest {

    private static final DeterminismFingerprint HERE = new DeterminismFingerprint("AuthenticAMD", "AMD EPYC", "avx2",
            "AVX2,STRICT", "avx2", 1, "0.36.0", "2.7.1", "17", "0.1.0");

    @Test
    void aResumeUnderAnotherCpuMarksTheAttemptAndTheRunNotBitExact() {
        String runId = submit(Fixtures.spec("exact-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
        RunSpec spec = Json.read(Fixtures.spec("x", 3, 5), RunSpec.class);
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "a", 1L)
                    .withDeterminism(HERE, null, List.of()));
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL", 40L,
                    "trainer-service", null));
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            given().when().get("/api/runs/" + runId).then().body("bitExact", equalTo(true));

            worker.publish(Topics.RUNS, AttemptStarted.of(runId, 2, spec, "ckpt-40", 40L, "b", 2L)
                    .withDeterminism(HERE, false, List.of("cpuModel: AMD EPYC -> Intel Xeon")));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/api/runs/" + runId)
                    .then().body("bitExact", equalTo(false))
                    .body("determinismNote", containsString("cpuModel: AMD EPYC -> Intel Xeon")));
            given().when().get("/api/runs/" + runId + "/attempts").then()
                    .body("[0].resumeExact", equalTo(null))
                    .body("[1].resumeExact", equalTo(false))
                    .body("[1].resumeDifferences[0]", equalTo("cpuModel: AMD EPYC -> Intel Xeon"));
        }
    }
}
