package dev.savepoint.scheduler.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.savepoint.scheduler.launch.MockCluster.terminated;
import static dev.savepoint.scheduler.launch.MockCluster.waiting;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RestartSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.run.FailureHistory;
import dev.savepoint.scheduler.run.RestartDecision;
import dev.savepoint.scheduler.run.RestartPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a cluster does to an attempt, driven on fabric8's mock API server the way a real cluster moves the objects
 * (the kubelet sets the pod's status, then the Job controller the Job's), noticed through the launcher's informers.
 */
class ClusterEventsTest {

    static final String RUN = "Evict_Run";

    final KubernetesFixture k8s = new KubernetesFixture();

    @AfterEach
    void stop() {
        k8s.close();
    }

    private String launched(int attempt) {
        k8s.launcher.launch(LaunchAttempt.of(RUN, attempt, Json.read(KubernetesLauncherTest.SPEC, RunSpec.class),
                attempt == 1 ? null : "latest", null));
        return KubernetesLauncher.jobName(RUN, attempt);
    }

    private void running(String job) {
        k8s.cluster.running(job);
    }

    private AttemptFailed theOneFailure() {
        List<AttemptFailed> failures = k8s.awaitFailures();
        assertEquals(1, failures.size(), failures.toString());
        k8s.assertNoMoreFailures();
        return failures.get(0);
    }

    @Test
    void anEvictedPodsJobIsPreemptedAndItsSuccessorIsLaunchedAtOnce() {
        String job = launched(1);
        running(job);
        // kubectl drain: the Eviction API marks the pod DisruptionTarget, SIGTERM ends the attempt, the pod fails
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Failed").addNewCondition().withType("DisruptionTarget")
                .withStatus("True").withReason("EvictionByEvictionAPI").withMessage("Eviction API: evicting")
                .endCondition().withContainerStatuses(terminated(143, "Error")).endStatus().build());
        k8s.failJob(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        AttemptFailed failure = theOneFailure();
        assertEquals(FailureReason.PREEMPTED, failure.reason());
        assertTrue(failure.message().contains("EvictionByEvictionAPI"), failure.message());

        RestartDecision.Retry retry = assertInstanceOf(RestartDecision.Retry.class,
                RestartPolicy.of(RestartSpec.defaults()).decide(1, FailureHistory.none(), failure.reason()));
        assertEquals(Duration.ZERO, retry.delay(), "a preemption relaunches without backoff");
        assertEquals(FailureHistory.none().consecutiveFailuresWithoutProgress(),
                FailureHistory.none().afterRetry(failure.reason()).consecutiveFailuresWithoutProgress(),
                "and is no crash-loop failure");
        launched(retry.attempt());
        assertNotNull(k8s.job(KubernetesLauncher.jobName(RUN, 2)), "attempt 2's Job");
    }

    /**
     * The launcher signals each watch event, after its cache took it: failures are found when it signals, with no
     * tick asking (the scheduler's LauncherFailures asks on a thread of its own; here the signal asks itself).
     */
    @Test
    void anEndIsFoundWhenTheWatchSignalsWithoutATick() {
        List<AttemptFailed> onSignal = new java.util.concurrent.CopyOnWriteArrayList<>();
        k8s.launcher.onFailures(() -> onSignal.addAll(k8s.launcher.unreportedFailures()));
        String job = launched(1);
        running(job);
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Failed").addNewCondition().withType("DisruptionTarget")
                .withStatus("True").withReason("PreemptionByScheduler").endCondition()
                .withContainerStatuses(terminated(137, "Error")).endStatus().build());
        k8s.failJob(job);
        await().atMost(Duration.ofSeconds(10)).until(() -> !onSignal.isEmpty());
        assertEquals(List.of(FailureReason.PREEMPTED), onSignal.stream().map(AttemptFailed::reason).toList());
        k8s.assertNoMoreFailures();
        assertEquals(1, onSignal.size(), "reported once");
    }

    @Test
    void aPodTheKubeletEvictedIsPreemptedWhateverItsExitCode() {
        String job = launched(1);
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").withContainerStatuses(terminated(137, "Error"))
                .endStatus().build());
        k8s.failJob(job);
        AttemptFailed failure = theOneFailure();
        assertEquals(FailureReason.PREEMPTED, failure.reason());
        assertTrue(failure.message().contains("low on resource"), failure.message());
    }

    @Test
    void anOomKilledContainerIsOomKilledAndRetriedAsACrash() {
        String job = launched(1);
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Failed")
                .withContainerStatuses(terminated(137, "OOMKilled")).endStatus().build());
        k8s.failJob(job);
        AttemptFailed failure = theOneFailure();
        assertEquals(FailureReason.OOM_KILLED, failure.reason());
        assertEquals(137, failure.exitCode());
        assertTrue(failure.message().contains("OOMKilled") && failure.message().contains("3Gi"), failure.message());
        var retry = assertInstanceOf(RestartDecision.Retry.class,
                RestartPolicy.of(RestartSpec.defaults()).decide(1, FailureHistory.none(), failure.reason()));
        assertTrue(retry.delay().toMillis() > 0, "backs off like a crash");
    }

    @Test
    void anImagePullFailureGivesUpWithTheReasonAndTheJobIsDeleted() {
        String job = launched(1);
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Pending")
                .withContainerStatuses(waiting("ErrImagePull", "pull access denied")).endStatus().build());
        k8s.assertNoMoreFailures(); // Kubernetes retries a pull once before it backs off
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Pending").withContainerStatuses(waiting(
                "ImagePullBackOff", "Back-off pulling image \"savepoint/trainer:test\"")).endStatus().build());

        AttemptFailed failure = theOneFailure();
        assertEquals(FailureReason.INVALID_SPEC, failure.reason());
        assertTrue(failure.message().contains("ImagePullBackOff")
                && failure.message().contains("savepoint/trainer:test"),
                failure.message());
        assertInstanceOf(RestartDecision.GiveUp.class,
                RestartPolicy.of(RestartSpec.defaults()).decide(1, FailureHistory.none(), failure.reason()));
        assertNull(k8s.job(job), "the Job is deleted: Kubernetes would keep its pod pending forever");
    }

    @Test
    void aDeletedJobIsNoticedThroughTheWatchWithinASecond() {
        String job = launched(1);
        k8s.client.batch().v1().jobs().inNamespace(KubernetesFixture.NAMESPACE).withName(job).delete();
        List<AttemptFailed> failures = new ArrayList<>();
        await().atMost(Duration.ofSeconds(1)).until(() -> failures.addAll(k8s.launcher.unreportedFailures()));
        assertEquals(FailureReason.KILLED, failures.get(0).reason());
        assertTrue(failures.get(0).message().contains("deleted"), failures.get(0).message());
        k8s.assertNoMoreFailures();
    }

    @Test
    void aDeletedJobWhosePodStillRunsIsReportedOnlyOnceThePodIsGone() {
        String job = launched(1);
        running(job);
        k8s.client.batch().v1().jobs().inNamespace(KubernetesFixture.NAMESPACE).withName(job).delete();
        k8s.assertNoMoreFailures(); // the pod is terminating: its successor must not start beside it
        k8s.client.pods().inNamespace(KubernetesFixture.NAMESPACE).withName(job + "-x").delete();
        assertEquals(FailureReason.KILLED, theOneFailure().reason());
    }

    @Test
    void aJobPastItsActiveDeadlineIsDeadlineAndNotRetried() {
        String job = launched(1);
        k8s.createPod(k8s.podOf(job).withNewStatus().withPhase("Failed")
                .withContainerStatuses(terminated(143, "Error")).endStatus().build());
        k8s.failJob(job, "DeadlineExceeded", "Job was active longer than specified deadline");
        AttemptFailed failure = theOneFailure();
        assertEquals(FailureReason.DEADLINE, failure.reason(), "not PREEMPTED for the SIGTERM that ended it");
        assertTrue(failure.message().contains("activeDeadlineSeconds"), failure.message());
        assertInstanceOf(RestartDecision.GiveUp.class,
                RestartPolicy.of(RestartSpec.defaults()).decide(1, FailureHistory.none(), failure.reason()));
    }

    @Test
    void aFailureIsReportedOnceAcrossASchedulerRestart() {
        String reported = launched(1);
        k8s.createPod(k8s.podOf(reported).withNewStatus().withPhase("Failed")
                .withContainerStatuses(terminated(1, "Error")).endStatus().build());
        k8s.failJob(reported);
        assertEquals(FailureReason.CRASHED, theOneFailure().reason());
        Job annotated = k8s.job(reported);
        assertEquals("true", annotated.getMetadata().getAnnotations().get(KubernetesLauncher.REPORTED_ANNOTATION));
        k8s.launcher.close();
        // while no scheduler watches, attempt 2 fails too
        String unreported = launched(2);
        k8s.createPod(k8s.podOf(unreported).withNewStatus().withPhase("Failed")
                .withContainerStatuses(terminated(1, "Error")).endStatus().build());
        k8s.failJob(unreported);

        try (KubernetesLauncher restarted = k8s.launcher()) {
            List<AttemptFailed> failures = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.addAll(restarted.unreportedFailures()));
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                    .until(() -> failures.addAll(restarted.unreportedFailures()) || true);
            assertEquals(List.of(2), failures.stream().map(AttemptFailed::attempt).toList(),
                    "only the failure no scheduler reported yet");
        }
    }
}
