package dev.savepoint.scheduler.launch;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The cluster's part on fabric8's mock API server, for tests: what the kubelet writes to a pod's status and the Job
 * controller to a Job's (the mock server stores objects and runs nothing), in one namespace.
 */
public final class MockCluster {

    public final KubernetesClient client;
    private final String namespace;

    public MockCluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The Job, or null. */
    public Job job(String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** The start of the pod the Job controller creates for the Job: its template's labels plus {@code job-name}. */
    public PodBuilder podOf(String jobName) {
        return podOf(jobName, job(jobName).getSpec().getTemplate().getMetadata().getLabels());
    }

    public static PodBuilder podOf(String jobName, Map<String, String> templateLabels) {
        return new PodBuilder().withNewMetadata().withName(jobName + "-x").addToLabels(templateLabels)
                .addToLabels("job-name", jobName).addToLabels("batch.kubernetes.io/job-name", jobName).endMetadata();
    }

    /** Creates the pod, or replaces its status as the kubelet does. */
    public void createPod(Pod pod) {
        client.pods().inNamespace(namespace).resource(pod).createOr(existing -> existing.update());
    }

    /** The Job's pod runs. */
    public void running(String jobName) {
        createPod(podOf(jobName).withNewStatus().withPhase("Running").endStatus().build());
    }

    /** Marks the Job failed with its {@code Failed} condition, as the Job controller does. */
    public void failJob(String name, String reason, String message) {
        Job job = job(name);
        job.setStatus(new JobStatusBuilder().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                .withReason(reason).withMessage(message).endCondition().build());
        client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }

    /** Marks the Job failed, as the Job controller does once its only pod failed (backoffLimit 0). */
    public void failJob(String name) {
        failJob(name, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }

    /** The status of the attempt's container once it ended. */
    public static ContainerStatus terminated(int exitCode, String reason) {
        return new ContainerStatusBuilder().withName("attempt").withImage("savepoint/trainer:test").withNewState()
                .withNewTerminated().withExitCode(exitCode).withReason(reason).endTerminated().endState().build();
    }

    /** The status of the attempt's container while it cannot start. */
    public static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder().withName("attempt").withImage("savepoint/trainer:test").withNewState()
                .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    /** Evicted by the Eviction API (kubectl drain): DisruptionTarget, then SIGTERM ends it; its Job then fails. */
    public void evict(String jobName) {
        createPod(podOf(jobName).withNewStatus().withPhase("Failed").addNewCondition().withType("DisruptionTarget")
                .withStatus("True").withReason("EvictionByEvictionAPI").withMessage("Eviction API: evicting")
                .endCondition().withContainerStatuses(terminated(143, "Error")).endStatus().build());
        failJob(jobName);
    }

    /** The attempt's container ran out of memory; its Job then fails. */
    public void oomKill(String jobName) {
        createPod(podOf(jobName).withNewStatus().withPhase("Failed")
                .withContainerStatuses(terminated(137, "OOMKilled")).endStatus().build());
        failJob(jobName);
    }
}
