package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes launcher against fabric8's mock API server in CRUD mode (there is no cluster here). */
class KubernetesLauncherTest {

    static final String SPEC = """
            {"name": "k8s", "seed": 1, "maxSteps": 10, "batchSize": 4,
             "model": {"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 2},
             "data": {"type": "synthetic", "samples": 16, "classes": 2},
             "optimizer": {"type": "sgd", "lr": 0.1},
             "runtime": {"cpu": "2", "memory": "3Gi"}}""";

    KubernetesFixture k8s;
    KubernetesClient client;
    KubernetesLauncher launcher;

    @BeforeEach
    void start() {
        k8s = new KubernetesFixture();
        client = k8s.client;
        launcher = k8s.launcher;
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    private static LaunchAttempt command(int attempt, String resumeFrom) {
        return LaunchAttempt.of("Demo_Run.7", attempt, Json.read(SPEC, RunSpec.class), resumeFrom, 100L);
    }

    private Job job(String name) {
        return k8s.job(name);
    }

    @Test
    void theJobCarriesTheS3EndpointBucketCredentialSecretRefsKafkaAndDeterminismEnvironment() {
        launcher.launch(command(1, null));
        var container = job("demo-run-7-1").getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> values = new HashMap<>();
        Map<String, String> secretRefs = new HashMap<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() == null) {
                values.put(e.getName(), e.getValue());
            } else {
                var ref = e.getValueFrom().getSecretKeyRef();
                secretRefs.put(e.getName(), ref.getName() + "/" + ref.getKey()
                        + (Boolean.TRUE.equals(ref.getOptional()) ? " (optional)" : ""));
            }
        }
        assertEquals(Map.of("SAVEPOINT_S3_ENDPOINT", "http://minio.savepoint.svc:9000",
                "SAVEPOINT_S3_BUCKET", "ckpts",
                "SAVEPOINT_KAFKA_BOOTSTRAP", "kafka.savepoint.svc:9092",
                "SAVEPOINT_CHECKPOINT_URL", "http://checkpoint-service:8082",
                "MKL_CBWR", "AVX2,STRICT",
                "ATEN_CPU_CAPABILITY", "avx2",
                // the template's own, for the read-only root filesystem
                "DJL_CACHE_DIR", "/tmp/djl",
                "HOME", "/tmp"), values);
        assertEquals(Map.of("SAVEPOINT_S3_ACCESS_KEY", "savepoint-trainer-s3/savepoint-s3-access-key",
                "SAVEPOINT_S3_SECRET_KEY", "savepoint-trainer-s3/savepoint-s3-secret-key",
                "SAVEPOINT_API_TOKEN", "savepoint-trainer-s3/savepoint-api-token",
                "SAVEPOINT_KAFKA_USER", "savepoint-trainer-s3/savepoint-kafka-user (optional)",
                "SAVEPOINT_KAFKA_PASSWORD", "savepoint-trainer-s3/savepoint-kafka-password (optional)",
                "SAVEPOINT_ATTEMPT_SECRET", "demo-run-7-1-secret/savepoint-attempt-secret"), secretRefs,
                "credentials only by reference to the Secret, never literal");
        var secret = client.secrets().inNamespace("savepoint").withName("demo-run-7-1-secret").get();
        String held = secret.getStringData() != null && secret.getStringData().containsKey("savepoint-attempt-secret")
                ? secret.getStringData().get("savepoint-attempt-secret")
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get("savepoint-attempt-secret")),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(KubernetesFixture.SIGNATURES.attemptSecret("Demo_Run.7", 1), held,
                "the attempt's own derived secret, in a Secret of its own");
    }

    @Test
    void aKubernetesLauncherWithoutAnS3EndpointIsRefusedNamingTheVariable() {
        SchedulerConfig.Kubernetes noEndpoint = config(Optional.empty());
        var e = assertThrows(IllegalStateException.class,
                () -> KubernetesLauncher.environment(noEndpoint, "kafka:9092", "http://checkpoint-service:8082"));
        assertTrue(e.getMessage().contains("SAVEPOINT_SCHEDULER_KUBERNETES_S3_ENDPOINT"), e.getMessage());
    }

    @Test
    void launchCreatesOneJobPerAttemptWithItsArgumentsSpecAndResources() {
        launcher.launch(command(2, "ck-1"));
        Job job = job("demo-run-7-2");
        assertEquals(0, job.getSpec().getBackoffLimit());
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("savepoint/trainer:test", container.getImage());
        assertEquals(java.util.List.of("attempt", "--run", "Demo_Run.7", "--attempt", "2", "--spec",
                "/etc/savepoint/spec.json", "--resume-from", "ck-1"), container.getArgs());
        assertEquals("3Gi", container.getResources().getLimits().get("memory").toString());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        String spec = client.configMaps().inNamespace("savepoint").withName("demo-run-7-2-spec").get().getData()
                .get("spec.json");
        assertEquals(Json.read(SPEC, RunSpec.class), Json.read(spec, RunSpec.class));
    }

    @Test
    void theSameLaunchTwiceCreatesOneJob() {
        launcher.launch(command(1, null));
        launcher.launch(command(1, null));
        assertEquals(1, client.batch().v1().jobs().inNamespace("savepoint").list().getItems().size());
    }

    @Test
    void cancelDeletesTheJob() {
        launcher.launch(command(1, null));
        launcher.cancel("Demo_Run.7", 1, "user");
        assertNull(job("demo-run-7-1"));
    }

    @Test
    void aFailedJobBecomesOneFailureEventWithTheContainersExitCode() {
        launcher.launch(command(3, null));
        k8s.createPod(k8s.podOf("demo-run-7-3").withNewStatus().withPhase("Failed").addNewContainerStatus()
                .withName("attempt").withNewState().withNewTerminated().withExitCode(4).withReason("Error")
                .endTerminated().endState().endContainerStatus().endStatus().build());
        k8s.failJob("demo-run-7-3");

        var failures = k8s.awaitFailures();
        assertEquals(1, failures.size());
        assertEquals("Demo_Run.7", failures.get(0).runId());
        assertEquals(3, failures.get(0).attempt());
        assertEquals(FailureReason.DATA_ERROR, failures.get(0).reason(), "the runner's exit code 4");
        assertEquals(4, failures.get(0).exitCode());
        assertTrue(failures.get(0).message().contains("container attempt"), failures.get(0).message());
        k8s.assertNoMoreFailures();
    }

    private void pod(String job, String phase) {
        client.pods().inNamespace("savepoint").resource(new PodBuilder().withNewMetadata().withName(job + "-x")
                .addToLabels("job-name", job).endMetadata().withNewStatus().withPhase(phase).endStatus().build())
                .createOr(existing -> existing.update());
    }

    @Test
    void aPendingOrRunningPodIsAlive() {
        launcher.launch(command(4, null));
        pod("demo-run-7-4", "Pending");
        assertEquals(Liveness.State.ALIVE, launcher.probe("Demo_Run.7", 4, null).state());
        pod("demo-run-7-4", "Running");
        Liveness running = launcher.probe("Demo_Run.7", 4, null);
        assertEquals(Liveness.State.ALIVE, running.state());
        assertTrue(running.detail().contains("Running"), running.detail());
    }

    @Test
    void aSucceededOrFailedPodIsGone() {
        launcher.launch(command(5, null));
        pod("demo-run-7-5", "Failed");
        Liveness failed = launcher.probe("Demo_Run.7", 5, null);
        assertEquals(Liveness.State.GONE, failed.state());
        assertTrue(failed.detail().contains("Failed"), failed.detail());
        pod("demo-run-7-5", "Succeeded");
        assertEquals(Liveness.State.GONE, launcher.probe("Demo_Run.7", 5, null).state());
    }

    @Test
    void withoutAPodAnUnfinishedJobIsAliveAndAFinishedOrAbsentOneGone() {
        launcher.launch(command(6, null));
        assertEquals(Liveness.State.ALIVE, launcher.probe("Demo_Run.7", 6, null).state(),
                "the Job's pod is not created yet");
        Job job = job("demo-run-7-6");
        job.setStatus(new JobStatusBuilder().withFailed(1).build());
        client.batch().v1().jobs().inNamespace("savepoint").resource(job).updateStatus();
        assertEquals(Liveness.State.GONE, launcher.probe("Demo_Run.7", 6, null).state());
        assertEquals(Liveness.State.GONE, launcher.probe("Demo_Run.7", 7, null).state(), "no Job, no pod");
    }

    @Test
    void anApiErrorIsUnknown() throws java.io.IOException {
        int refused;
        try (var free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused = free.getLocalPort(); // closed again: no API server answers there
        }
        try (KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + refused)
                        .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build()) {
            KubernetesLauncher blind = new KubernetesLauncher(unreachable, config(), KubernetesLauncher.environment(
                    config(), "scheduler-kafka:9092", "http://checkpoint-service:8082"), KubernetesFixture.SIGNATURES);
            Liveness l = blind.probe("Demo_Run.7", 8, null);
            assertEquals(Liveness.State.UNKNOWN, l.state());
            assertTrue(l.detail().contains("demo-run-7-8"), l.detail());
        }
    }

    @Test
    void jobNamesAreValidKubernetesNamesEvenForLongRunIds() {
        String name = KubernetesLauncher.jobName("X".repeat(100) + "_run", 12);
        assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63 && name.endsWith("-12"), name);
    }

    private static SchedulerConfig.Kubernetes config() {
        return KubernetesFixture.config();
    }

    private static SchedulerConfig.Kubernetes config(Optional<String> s3Endpoint) {
        return KubernetesFixture.config(s3Endpoint);
    }
}
