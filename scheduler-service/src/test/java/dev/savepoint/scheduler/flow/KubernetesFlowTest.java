package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.state;
import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.scheduler.launch.KubernetesLauncher;
import dev.savepoint.scheduler.launch.KubernetesMockApiServer;
import dev.savepoint.scheduler.launch.MockCluster;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real scheduler with the kubernetes launcher on fabric8's mock API server (CRUD mode), the real broker and
 * database: the test moves the attempt's pod and Job as a cluster would and plays the attempt's own events
 * (AttemptStarted; a pod here starts nothing). The tick is an hour, so every failure below reaches the scheduler
 * through the launcher's watch signal alone, never through the tick's safety net.
 */
@QuarkusTest
@TestProfile(KubernetesFlowTest.OnKubernetes.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class KubernetesFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The kubernetes launcher on the mock API server; no tick within the test's time. */
    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.scheduler.tick", "1h");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubernetesMockApiServer.class));
        }
    }

    private final MockCluster cluster = KubernetesMockApiServer.cluster();

    /** Waits for the attempt's Job; its pod runs and the attempt reports its start, as the runner would. */
    private String started(String runId, int attempt) {
        String job = KubernetesLauncher.jobName(runId, attempt);
        await().atMost(DEADLINE).until(() -> cluster.job(job) != null);
        cluster.running(job);
        KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, attempt, LeaseVisibilityFlowTest.spec(), null,
                null, "test", 4242L));
        await().atMost(DEADLINE).until(() -> state(runId).equals("RUNNING"));
        return job;
    }

    private static JsonPath attempts(String runId) {
        return given().when().get("/api/runs/" + runId + "/attempts").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath run(String runId) {
        return given().when().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anEvictedPodIsPreemptedAndRelaunchedAtOnceAndAnOomKilledOneBacksOff() {
        String runId = submit(Fixtures.spec(LeaseVisibilityFlowTest.name("k8s-evict"), 3, 5));
        cluster.evict(started(runId, 1));

        await().atMost(DEADLINE).until(() -> cluster.job(KubernetesLauncher.jobName(runId, 2)) != null);
        assertEquals("PREEMPTED", attempts(runId).getString("[0].cause"));
        assertTrue(attempts(runId).getString("[0].message").contains("EvictionByEvictionAPI"),
                attempts(runId).getString("[0].message"));
        JsonPath preempted = run(runId);
        assertEquals(2, preempted.getInt("currentAttempt"));
        assertNull(preempted.get("nextLaunchAt"), "launched, not waiting");
        List<Map<String, Object>> transitions = given().when().get("/api/runs/" + runId + "/transitions").then()
                .statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> relaunch = transitions.stream().filter(t -> "BACKOFF".equals(t.get("from"))).findFirst()
                .orElseThrow();
        Map<String, Object> failed = transitions.stream().filter(t -> "FAILED".equals(t.get("to"))).findFirst()
                .orElseThrow();
        assertEquals(failed.get("at"), relaunch.get("at"), "attempt 2 launched in the failure's own decision: "
                + transitions);
        assertTrue(String.valueOf(transitions).contains("without backoff"), String.valueOf(transitions));

        cluster.oomKill(started(runId, 2));
        await().atMost(DEADLINE).until(() -> state(runId).equals("BACKOFF"));
        assertEquals("OOM_KILLED", attempts(runId).getString("[1].cause"));
        JsonPath oom = run(runId);
        assertEquals("OOM_KILLED", oom.getString("lastFailureReason"));
        assertTrue(Instant.parse(oom.getString("nextLaunchAt")).isAfter(Instant.parse(oom.getString("lastFailureAt"))),
                "an OOM-killed attempt backs off like a crash: " + oom.prettify());
    }

    @Test
    void anImagePullFailureGivesUpWithTheReasonInTheApi() {
        String runId = submit(Fixtures.spec(LeaseVisibilityFlowTest.name("k8s-pull"), 3, 5));
        String job = KubernetesLauncher.jobName(runId, 1);
        await().atMost(DEADLINE).until(() -> cluster.job(job) != null);
        cluster.createPod(cluster.podOf(job).withNewStatus().withPhase("Pending").withContainerStatuses(
                MockCluster.waiting("ImagePullBackOff", "Back-off pulling image \"savepoint/trainer:test\""))
                .endStatus().build());

        await().atMost(DEADLINE).until(() -> state(runId).equals("GAVE_UP"));
        JsonPath gaveUp = run(runId);
        assertEquals("INVALID_SPEC", gaveUp.getString("lastFailureReason"));
        String message = gaveUp.getString("lastFailureMessage");
        assertTrue(message.contains("ImagePullBackOff") && message.contains("savepoint/trainer:test"), message);
        await().atMost(DEADLINE).until(() -> cluster.job(job) == null); // its pod would stay Pending for ever
        assertNotNull(attempts(runId).getString("[0].endedAt"));
        assertEquals(1, attempts(runId).getList("$").size(), "not retried");
    }
}
