package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Job of a command run and how its end is read, on fabric8's mock API server in CRUD mode. */
class CommandRunJobTest {

    final KubernetesFixture k8s = new KubernetesFixture();

    @AfterEach
    void stop() {
        k8s.close();
    }

    private static RunSpec spec(String image) {
        TrainerSpec trainer = new TrainerSpec(TrainerSpec.COMMAND, TrainerSpec.HF_TRAINER,
                List.of("python3", "train.py", "--output_dir", "{outputDir}", "--max_steps", "{maxSteps}",
                        "--run-name", "{runId}-{attempt}"),
                "/app", Map.of("HF_HOME", "/cache/hf"), image, null, null, null, null, null, null, null, null, null);
        return RunSpec.command("hf", 300, trainer, null, null, new RuntimeSpec(null, null, "4", "8Gi"));
    }

    private PodSpec launched(int attempt, String resumeFrom) {
        k8s.launcher.launch(LaunchAttempt.of("Hf_Run", attempt, spec("python:3.11-slim"), resumeFrom, null));
        return k8s.job("hf-run-" + attempt).getSpec().getTemplate().getSpec();
    }

    @Test
    void aCommandRunsJobRestoresInAnInitContainerWatchesInANativeSidecarAndTrainsInTheUsersImage() {
        PodSpec pod = launched(2, "latest");
        assertEquals(List.of("restore", "watch"), pod.getInitContainers().stream().map(Container::getName).toList());
        Container restore = pod.getInitContainers().get(0);
        Container watch = pod.getInitContainers().get(1);
        assertEquals("savepoint/trainer:test", restore.getImage());
        assertEquals("savepoint/trainer:test", watch.getImage());
        assertEquals(List.of("attempt", "restore", "--run", "Hf_Run", "--attempt", "2", "--spec",
                "/etc/savepoint/spec.json", "--resume-from", "latest", "--work", "/savepoint/work"), restore.getArgs());
        assertNull(restore.getRestartPolicy(), "the restore is an ordinary init container: it ends before training");
        assertEquals(List.of("attempt", "watch", "--run", "Hf_Run", "--attempt", "2", "--spec",
                "/etc/savepoint/spec.json", "--work", "/savepoint/work"), watch.getArgs());
        assertEquals("Always", watch.getRestartPolicy(), "a native sidecar: it runs beside the trainer");

        Container trainer = pod.getContainers().get(0);
        assertEquals(List.of("trainer"), pod.getContainers().stream().map(Container::getName).toList());
        assertEquals("python:3.11-slim", trainer.getImage());
        assertEquals(List.of("/bin/sh", "-c", TrainerWrapper.SCRIPT, "savepoint-trainer", "python3", "train.py",
                "--output_dir", "/savepoint/work/output", "--max_steps", "300", "--run-name", "Hf_Run-2"),
                trainer.getCommand());
        assertEquals("/app", trainer.getWorkingDir());
        assertEquals("8Gi", trainer.getResources().getLimits().get("memory").toString());
        assertEquals("4", trainer.getResources().getRequests().get("cpu").toString());
        assertEquals(180L, pod.getTerminationGracePeriodSeconds(), "the trainer's grace plus the final upload");
    }

    @Test
    void theWorkFolderIsOneEmptyDirSharedByAllThreeContainersAndOnlyTheRunnerReadsTheSpec() {
        PodSpec pod = launched(1, null);
        var work = pod.getVolumes().stream().filter(v -> v.getName().equals("work")).findFirst().orElseThrow();
        assertTrue(work.getEmptyDir() != null, "the work folder is an emptyDir");
        for (Container c : List.of(pod.getInitContainers().get(0), pod.getInitContainers().get(1),
                pod.getContainers().get(0))) {
            assertEquals("/savepoint/work", mountPath(c, "work"), c.getName() + " mounts the work folder");
        }
        assertEquals("/etc/savepoint", mountPath(pod.getInitContainers().get(0), "spec"));
        assertNull(mountPath(pod.getContainers().get(0), "spec"));
        assertTrue(pod.getInitContainers().get(0).getArgs().stream().noneMatch(a -> a.equals("--resume-from")),
                "attempt 1 starts fresh");
        String spec = k8s.client.configMaps().inNamespace("savepoint").withName("hf-run-1-spec").get().getData()
                .get("spec.json");
        assertEquals(spec("python:3.11-slim"), Json.read(spec, RunSpec.class));
    }

    private static String mountPath(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath)
                .findFirst().orElse(null);
    }

    @Test
    void theUsersContainerGetsItsOwnEnvironmentButNoCredentialNorServiceAccountToken() {
        PodSpec pod = launched(1, null);
        Container trainer = pod.getContainers().get(0);
        assertEquals(Map.of("HF_HOME", "/cache/hf", "SAVEPOINT_WORK", "/savepoint/work"), plainEnv(trainer));
        assertTrue(trainer.getEnv().stream().allMatch(e -> e.getValueFrom() == null), "no Secret reference");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        for (Container runner : pod.getInitContainers()) {
            List<String> secretRefs = runner.getEnv().stream().filter(e -> e.getValueFrom() != null)
                    .map(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/"
                            + e.getValueFrom().getSecretKeyRef().getKey()).toList();
            assertEquals(List.of("SAVEPOINT_S3_ACCESS_KEY=savepoint-trainer-s3/savepoint-s3-access-key",
                    "SAVEPOINT_S3_SECRET_KEY=savepoint-trainer-s3/savepoint-s3-secret-key",
                    "SAVEPOINT_API_TOKEN=savepoint-trainer-s3/savepoint-api-token",
                    "SAVEPOINT_KAFKA_USER=savepoint-trainer-s3/savepoint-kafka-user",
                    "SAVEPOINT_KAFKA_PASSWORD=savepoint-trainer-s3/savepoint-kafka-password",
                    "SAVEPOINT_ATTEMPT_SECRET=hf-run-1-secret/savepoint-attempt-secret"), secretRefs,
                    runner.getName());
            assertEquals("http://minio.savepoint.svc:9000", plainEnv(runner).get("SAVEPOINT_S3_ENDPOINT"));
        }
    }

    private static Map<String, String> plainEnv(Container c) {
        return c.getEnv().stream().filter(e -> e.getValueFrom() == null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void aCommandRunWithoutAnImageIsRefusedOnceAsInvalidSpecNamingTheField() {
        k8s.launcher.launch(LaunchAttempt.of("Hf_Run", 1, spec(null), null, null));
        assertNull(k8s.job("hf-run-1"), "no Job that could not run");
        List<AttemptFailed> failures = k8s.launcher.unreportedFailures();
        assertEquals(1, failures.size());
        assertEquals(FailureReason.INVALID_SPEC, failures.get(0).reason());
        assertTrue(failures.get(0).message().contains("trainer.image"), failures.get(0).message());
        assertTrue(k8s.launcher.unreportedFailures().isEmpty(), "reported once");
    }

    // The end of the attempt: the trainer container's, whatever the sidecar's (Kubernetes stops it with SIGTERM).

    private AttemptFailed failureOf(int attempt, List<ContainerStatus> init, List<ContainerStatus> main) {
        launched(attempt, null);
        k8s.createPod(k8s.podOf("hf-run-" + attempt).withNewStatus().withPhase("Failed")
                .withInitContainerStatuses(init).withContainerStatuses(main).endStatus().build());
        k8s.failJob("hf-run-" + attempt);
        List<AttemptFailed> failures = k8s.awaitFailures();
        assertEquals(1, failures.size(), failures.toString());
        return failures.get(0);
    }

    private static ContainerStatus ended(String name, int exitCode, String reason) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).endTerminated().endState().build();
    }

    private static List<ContainerStatus> restoredAndWatched() {
        return List.of(ended("restore", 0, "Completed"), ended("watch", 143, "Error"));
    }

    @Test
    void aTrainerKilledBySigkillIsKilledWhateverTheSidecarsExit() {
        AttemptFailed f = failureOf(1, restoredAndWatched(), List.of(ended("trainer", 137, "Error")));
        assertEquals(FailureReason.KILLED, f.reason());
        assertEquals(137, f.exitCode());
        assertEquals("KILL", f.signal());
        assertTrue(f.message().contains("container trainer"), f.message());
    }

    @Test
    void anOomKilledTrainerIsOomKilledNamingItsMemoryLimit() {
        AttemptFailed f = failureOf(1, restoredAndWatched(), List.of(ended("trainer", 1, "OOMKilled")));
        assertEquals(FailureReason.OOM_KILLED, f.reason());
        assertTrue(f.message().contains("OOMKilled") && f.message().contains("8Gi")
                && f.message().contains("runtime.memory"), f.message());
    }

    @Test
    void theUsersExitCodesMeanNothingToTheWatcherOnlySignalsDo() {
        // 3 and 8 are Savepoint's INVALID_SPEC and PERMANENT_ERROR codes, but a user's trainer means its own thing
        // by them: the watch sidecar judges its permanent codes and patterns; left alone, the watcher says CRASHED.
        for (int code : new int[] {3, 8}) {
            AttemptFailed f = failureOf(code == 3 ? 1 : 2, List.of(ended("restore", 0, "Completed"), ended("watch", 0, "Completed")),
                    List.of(ended("trainer", code, "Error")));
            assertEquals(FailureReason.CRASHED, f.reason(), "exit " + code);
            assertEquals(code, f.exitCode());
        }
        AttemptFailed term = failureOf(3, restoredAndWatched(), List.of(ended("trainer", 143, "Error")));
        assertEquals(FailureReason.PREEMPTED, term.reason());
    }

    @Test
    void aFailedRestoreIsTheAttemptsResultWithItsExitCode() {
        var waiting = new ContainerStatusBuilder().withName("trainer").withNewState().withNewWaiting()
                .withReason("PodInitializing").endWaiting().endState().build();
        AttemptFailed f = failureOf(2, List.of(ended("restore", 5, "Error")), List.of(waiting));
        assertEquals(FailureReason.CHECKPOINT_CORRUPT, f.reason());
        assertEquals(5, f.exitCode());
        assertTrue(f.message().contains("container restore"), f.message());
    }

    @Test
    void aTrainerThatExitedZeroInASucceededJobReportsNoFailure() {
        launched(3, null);
        k8s.createPod(k8s.podOf("hf-run-3").withNewStatus().withPhase("Succeeded")
                .withInitContainerStatuses(restoredAndWatched())
                .withContainerStatuses(ended("trainer", 0, "Completed")).endStatus().build());
        Job job = k8s.job("hf-run-3");
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        k8s.client.batch().v1().jobs().inNamespace("savepoint").resource(job).updateStatus();
        k8s.assertNoMoreFailures(); // the watch sidecar reports the success
        assertEquals(Liveness.State.GONE, k8s.launcher.probe("Hf_Run", 3, null).state());
    }
}
