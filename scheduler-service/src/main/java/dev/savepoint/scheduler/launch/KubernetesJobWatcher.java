package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns failed attempt Jobs into failure events once each (the Job is annotated when reported): the attempt may
 * have died without a word (OOM-killed, node lost, image not pulled). The result is the exit code of the container
 * that does the training, found by name (a command run's trainer, not its sidecar), or of a failed restore.
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
        Optional<Ended> end = ended(job.getMetadata().getName());
        Integer exit = end.map(e -> e.state().getExitCode()).orElse(null);
        FailureReason reason = end.map(Ended::reason).orElse(FailureReason.LAUNCH_FAILED);
        String why = end.map(Ended::describe)
                .orElse("Job " + job.getMetadata().getName() + " failed without a terminated container");
        return AttemptFailed.of(runId, attempt, reason, why, exit, exit == null ? null : AttemptExit.signalOf(exit),
                null, "kubernetes", null);
    }

    /** How the container whose end decides the attempt ended. */
    private record Ended(String container, ContainerStateTerminated state) {

        /**
         * The OOM killer's kill is KILLED whatever the code. Savepoint's own containers (the built-in attempt, the
         * restore) exit with AttemptExit codes; a command run's trainer is the user's program, whose codes mean
         * nothing to us: a signal is KILLED (PREEMPTED for SIGTERM), anything else CRASHED. Its permanent exit codes
         * and output patterns are judged by the watch sidecar, whose own report normally arrives first; this is the
         * fallback for a sidecar that died without reporting.
         */
        FailureReason reason() {
            if ("OOMKilled".equals(state.getReason())) {
                return FailureReason.KILLED;
            }
            int code = state.getExitCode();
            boolean signal = code > 128 && code < 160;
            return container.equals(AttemptJob.TRAINER) && !signal ? FailureReason.CRASHED : AttemptExit.reasonOf(code);
        }

        String describe() {
            return "container " + container + " ended with exit code " + state.getExitCode()
                    + (state.getReason() == null ? "" : " (" + state.getReason() + ")")
                    + (state.getMessage() == null ? "" : ": " + state.getMessage());
        }
    }

    /**
     * The end that is the attempt's result: a restore init container that failed (the trainer never ran), else the
     * trainer container of a command run or the attempt container of a built-in one. The watch sidecar's end is never
     * it: Kubernetes stops the sidecar once the trainer ended, whatever the trainer's result.
     */
    private Optional<Ended> ended(String jobName) {
        for (Pod pod : client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems()) {
            if (pod.getStatus() == null) {
                continue;
            }
            Optional<Ended> restore = terminated(pod.getStatus().getInitContainerStatuses(), AttemptJob.RESTORE)
                    .filter(e -> e.state().getExitCode() != null && e.state().getExitCode() != 0);
            if (restore.isPresent()) {
                return restore;
            }
            Optional<Ended> main = terminated(pod.getStatus().getContainerStatuses(), AttemptJob.TRAINER)
                    .or(() -> terminated(pod.getStatus().getContainerStatuses(), AttemptJob.ATTEMPT));
            if (main.isPresent()) {
                return main;
            }
        }
        return Optional.empty();
    }

    private static Optional<Ended> terminated(List<ContainerStatus> statuses, String container) {
        if (statuses == null) {
            return Optional.empty();
        }
        return statuses.stream().filter(s -> container.equals(s.getName()) && s.getState() != null
                && s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() != null)
                .map(s -> new Ended(container, s.getState().getTerminated())).findFirst();
    }
}
