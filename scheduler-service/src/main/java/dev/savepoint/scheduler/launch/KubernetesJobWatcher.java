package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns failed attempt Jobs into failure events once each (the Job is annotated when reported): the attempt may
 * have died without a word (OOM-killed, node lost, image not pulled).
 */
public class KubernetesJobWatcher {

    private final KubernetesClient client;
    private final String namespace;

    public KubernetesJobWatcher(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Failures of Jobs not reported yet; each is marked reported before it is returned. */
    public List<AttemptFailed> newFailures() {
        List<AttemptFailed> failures = new ArrayList<>();
        for (Job job : client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(KubernetesLauncher.RUN_LABEL).list().getItems()) {
            var annotations = job.getMetadata().getAnnotations();
            boolean failed = job.getStatus() != null && job.getStatus().getFailed() != null
                    && job.getStatus().getFailed() > 0;
            if (!failed || annotations == null || annotations.containsKey(KubernetesLauncher.REPORTED_ANNOTATION)) {
                continue;
            }
            failures.add(failure(job));
            client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
                    .edit(j -> {
                        j.getMetadata().getAnnotations().put(KubernetesLauncher.REPORTED_ANNOTATION, "true");
                        return j;
                    });
        }
        return failures;
    }

    private AttemptFailed failure(Job job) {
        String runId = job.getMetadata().getAnnotations().get(KubernetesLauncher.RUN_ID_ANNOTATION);
        int attempt = Integer.parseInt(job.getMetadata().getLabels().get(KubernetesLauncher.ATTEMPT_LABEL));
        Optional<ContainerStateTerminated> end = terminated(job.getMetadata().getName());
        Integer exit = end.map(ContainerStateTerminated::getExitCode).orElse(null);
        FailureReason reason = exit == null ? FailureReason.LAUNCH_FAILED : AttemptExit.reasonOf(exit);
        String why = end.map(t -> t.getReason() + (t.getMessage() == null ? "" : ": " + t.getMessage()))
                .orElse("Job " + job.getMetadata().getName() + " failed without a terminated container");
        return AttemptFailed.of(runId, attempt, reason, why, exit, exit == null ? null : AttemptExit.signalOf(exit),
                null, "kubernetes", null);
    }

    private Optional<ContainerStateTerminated> terminated(String jobName) {
        for (Pod pod : client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems()) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (var status : pod.getStatus().getContainerStatuses()) {
                if (status.getState() != null && status.getState().getTerminated() != null) {
                    return Optional.of(status.getState().getTerminated());
                }
            }
        }
        return Optional.empty();
    }
}
