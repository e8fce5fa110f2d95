package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.FailureReason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a cluster did to an attempt, read from its Job and pods as the informers last saw them: a pure function, so
 * that each case is one table row (tested without an API server). In order:
 * <ul>
 * <li>a container that cannot start (image pull back-off, invalid image name, bad container config): INVALID_SPEC,
 * permanent, decided while the pod is still Pending (Kubernetes would retry it forever), and the Job is deleted;</li>
 * <li>nothing yet while the Job has not failed and exists, or while one of its pods still runs (a failure confirms the
 * attempt's end to the scheduler, which then may start its successor: never while the old pod lives);</li>
 * <li>the Job's {@code activeDeadlineSeconds} ran out ({@code DeadlineExceeded}): DEADLINE, permanent;</li>
 * <li>the pod was evicted or preempted (condition {@code DisruptionTarget}, or reason Evicted, Preempting,
 * NodeShutdown): PREEMPTED, whatever its containers' exit codes (SIGTERM or SIGKILL from the eviction);</li>
 * <li>the deciding container ended (see {@link #ended}): OOM_KILLED for {@code OOMKilled}, else by its exit code;</li>
 * <li>the Job was deleted before it finished (not by its TTL, which only deletes finished Jobs): KILLED;</li>
 * <li>else LAUNCH_FAILED, with the Job's or the pod's reason (a pod the kubelet rejected, say).</li>
 * </ul>
 * A node that is lost leaves its pod Running with no heartbeats: that is the scheduler's lease, not this.
 */
final class ClusterOutcome {

    /** Waiting reasons of a container that will not start however long Kubernetes retries. */
    static final Set<String> PERMANENT_WAITING = Set.of("ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError");
    /** Pod reasons of a pod the cluster took away (kubelet eviction, scheduler preemption, graceful node shutdown). */
    static final Set<String> DISRUPTED = Set.of("Evicted", "Preempting", "NodeShutdown", "Shutdown");

    /** A failure to report, and whether the launcher must delete the Job because Kubernetes would not end it. */
    record Verdict(FailureReason reason, String message, Integer exitCode, boolean deleteJob) {
    }

    private ClusterOutcome() {
    }

    /** The failure the Job and its pods amount to now, or empty while there is none (yet). */
    static Optional<Verdict> of(Job job, List<Pod> pods, boolean deleted) {
        String name = job.getMetadata().getName();
        Optional<Verdict> stuck = pods.stream().flatMap(ClusterOutcome::cannotStart).findFirst();
        if (stuck.isPresent()) {
            return stuck;
        }
        if ((!failed(job) && !deleted) || pods.stream().anyMatch(ClusterOutcome::running)) {
            return Optional.empty();
        }
        Optional<JobCondition> failure = failedCondition(job);
        if (failure.map(c -> "DeadlineExceeded".equals(c.getReason())).orElse(false)) {
            return verdict(FailureReason.DEADLINE, "Job " + name + " ran past its activeDeadlineSeconds ("
                    + job.getSpec().getActiveDeadlineSeconds() + " s): " + failure.get().getMessage(), null);
        }
        for (Pod pod : pods) {
            Optional<String> disruption = disruption(pod);
            if (disruption.isPresent()) {
                return verdict(FailureReason.PREEMPTED, "pod " + pod.getMetadata().getName() + " was taken away by "
                        + "the cluster (" + disruption.get() + ")", null);
            }
        }
        for (Pod pod : pods) {
            Optional<Ended> end = ended(pod);
            if (end.isPresent()) {
                return verdict(end.get().reason(), end.get().describe(job), end.get().state().getExitCode());
            }
        }
        if (deleted) {
            return verdict(FailureReason.KILLED, "Job " + name + " was deleted before it finished", null);
        }
        String why = failure.map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .or(() -> pods.stream().filter(p -> p.getStatus() != null && p.getStatus().getReason() != null)
                        .map(p -> "pod " + p.getStatus().getReason() + ": " + p.getStatus().getMessage()).findFirst())
                .orElse("no container of it terminated");
        return verdict(FailureReason.LAUNCH_FAILED, "Job " + name + " failed without a terminated container (" + why
                + ")", null);
    }

    private static Optional<Verdict> verdict(FailureReason reason, String message, Integer exitCode) {
        return Optional.of(new Verdict(reason, message, exitCode, false));
    }

    static boolean failed(Job job) {
        return (job.getStatus() != null && job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0)
                || failedCondition(job).isPresent();
    }

    static boolean succeeded(Job job) {
        return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
    }

    /** The Job's {@code Failed} condition (or {@code FailureTarget}, which Kubernetes 1.31 sets first). */
    private static Optional<JobCondition> failedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus())
                && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))).findFirst();
    }

    /** A pod that may still run code: pending, running, or unknown (its node does not answer). */
    private static boolean running(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static Stream<Verdict> cannotStart(Pod pod) {
        if (pod.getStatus() == null || !running(pod)) {
            return Stream.empty();
        }
        return Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()),
                statuses(pod.getStatus().getContainerStatuses()))
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                        && PERMANENT_WAITING.contains(s.getState().getWaiting().getReason()))
                .map(s -> new Verdict(FailureReason.INVALID_SPEC, "container " + s.getName() + " of pod "
                        + pod.getMetadata().getName() + " cannot start: " + s.getState().getWaiting().getReason()
                        + " (" + s.getState().getWaiting().getMessage() + "); image " + s.getImage()
                        + ": check trainer.image, or the runner image savepoint.scheduler.kubernetes.image, and the "
                        + "Secrets the Job refers to", null, true));
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }

    private static Optional<String> disruption(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        List<PodCondition> conditions = pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions();
        String message = pod.getStatus().getMessage() == null ? "" : ": " + pod.getStatus().getMessage();
        return conditions.stream().filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> "DisruptionTarget " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst()
                .or(() -> Optional.ofNullable(pod.getStatus().getReason()).filter(DISRUPTED::contains)
                        .map(r -> r + message));
    }

    /** How the container whose end decides the attempt ended. */
    private record Ended(String container, ContainerStateTerminated state) {

        /**
         * The OOM killer's kill is OOM_KILLED whatever the code. Savepoint's own containers (the built-in attempt,
         * the restore) exit with AttemptExit codes; a command run's trainer is the user's program, whose codes mean
         * nothing to us: a signal is KILLED (PREEMPTED for SIGTERM), anything else CRASHED. Its permanent exit codes
         * and output patterns are judged by the watch sidecar, whose own report normally arrives first; this is the
         * fallback for a sidecar that died without reporting.
         */
        FailureReason reason() {
            if ("OOMKilled".equals(state.getReason())) {
                return FailureReason.OOM_KILLED;
            }
            int code = state.getExitCode();
            boolean signal = code > 128 && code < 160;
            return container.equals(AttemptJob.TRAINER) && !signal ? FailureReason.CRASHED : AttemptExit.reasonOf(code);
        }

        String describe(Job job) {
            String limit = "OOMKilled".equals(state.getReason()) ? memoryLimit(job)
                    .map(l -> "; its memory limit " + l + " was exceeded: raise runtime.memory").orElse("") : "";
            return "container " + container + " ended with exit code " + state.getExitCode()
                    + (state.getReason() == null ? "" : " (" + state.getReason() + ")")
                    + (state.getMessage() == null ? "" : ": " + state.getMessage()) + limit;
        }

        private Optional<String> memoryLimit(Job job) {
            var spec = job.getSpec().getTemplate().getSpec();
            return Stream.concat(spec.getContainers().stream(),
                    spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
                    .filter(c -> c.getName().equals(container) && c.getResources() != null
                            && c.getResources().getLimits() != null)
                    .map(c -> c.getResources().getLimits().get("memory")).filter(java.util.Objects::nonNull)
                    .map(Object::toString).findFirst();
        }
    }

    /**
     * The end that is the attempt's result: a restore init container that failed (the trainer never ran), else the
     * trainer container of a command run or the attempt container of a built-in one. The watch sidecar's end is never
     * it: Kubernetes stops the sidecar once the trainer ended, whatever the trainer's result.
     */
    private static Optional<Ended> ended(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        Optional<Ended> restore = terminated(pod.getStatus().getInitContainerStatuses(), AttemptJob.RESTORE)
                .filter(e -> e.state().getExitCode() != 0);
        return restore.or(() -> terminated(pod.getStatus().getContainerStatuses(), AttemptJob.TRAINER))
                .or(() -> terminated(pod.getStatus().getContainerStatuses(), AttemptJob.ATTEMPT));
    }

    private static Optional<Ended> terminated(List<ContainerStatus> statuses, String container) {
        return statuses(statuses).filter(s -> container.equals(s.getName()) && s.getState() != null
                && s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() != null)
                .map(s -> new Ended(container, s.getState().getTerminated())).findFirst();
    }
}
