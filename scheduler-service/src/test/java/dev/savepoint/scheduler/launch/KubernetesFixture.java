package dev.savepoint.scheduler.launch;

import static org.awaitility.Awaitility.await;

import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * fabric8's mock API server in CRUD mode (it stores what is created, like an API server; there is no cluster here)
 * with a launcher on it; the tests drive Job and Pod status themselves.
 */
final class KubernetesFixture implements AutoCloseable {

    static final String NAMESPACE = "savepoint";

    final KubernetesMockServer server;
    final KubernetesClient client;
    final MockCluster cluster;
    /** A key of the fixture's own: these launcher tests use no broker, nothing else verifies with it. */
    static final dev.savepoint.contracts.EventSignatures SIGNATURES =
            new dev.savepoint.contracts.EventSignatures("kubernetes-fixture-event-key-".repeat(2));

    final KubernetesLauncher launcher;
    private final SchedulerConfig.Kubernetes config;

    KubernetesFixture() {
        this(config());
    }

    KubernetesFixture(SchedulerConfig.Kubernetes config) {
        this.config = config;
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init();
        client = server.createClient();
        cluster = new MockCluster(client, NAMESPACE);
        launcher = launcher();
    }

    /** A launcher watching the mock server, once its informers have listed what is there (a scheduler's start). */
    KubernetesLauncher launcher() {
        KubernetesLauncher started = new KubernetesLauncher(client, config, KubernetesLauncher.environment(config,
                "scheduler-kafka:9092", "http://checkpoint-service:8082"), SIGNATURES).start();
        await().atMost(Duration.ofSeconds(10)).until(started::watching);
        return started;
    }

    /** The failures the launcher reports, awaited: the informers see the driven status asynchronously. */
    List<AttemptFailed> awaitFailures() {
        List<AttemptFailed> failures = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.addAll(launcher.unreportedFailures()));
        return failures;
    }

    /** Nothing more is reported for a while (a failure is reported once; a live pod is never reported). */
    void assertNoMoreFailures() {
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                .until(() -> launcher.unreportedFailures().isEmpty());
    }

    /** The start of the pod the Job controller creates for the Job (see {@link MockCluster#podOf}). */
    PodBuilder podOf(String jobName) {
        return cluster.podOf(jobName);
    }

    void failJob(String name, String reason, String message) {
        cluster.failJob(name, reason, message);
    }

    Job job(String name) {
        return cluster.job(name);
    }

    void failJob(String name) {
        cluster.failJob(name);
    }

    void createPod(Pod pod) {
        cluster.createPod(pod);
    }

    @Override
    public void close() {
        launcher.close();
        client.close();
        server.destroy();
    }

    static SchedulerConfig.Kubernetes config() {
        return config(Optional.of("http://minio.savepoint.svc:9000"));
    }

    static SchedulerConfig.Kubernetes config(Optional<String> s3Endpoint) {
        return config(s3Endpoint, Optional.empty());
    }

    /** @param jobTemplate the Job template's path; empty: the packaged copy of deploy/kubernetes/base/attempt-job.yaml */
    static SchedulerConfig.Kubernetes config(Optional<String> s3Endpoint, Optional<String> jobTemplate) {
        return new SchedulerConfig.Kubernetes() {
            public Optional<String> namespace() {
                return Optional.of(NAMESPACE);
            }

            public String image() {
                return "savepoint/trainer:test";
            }

            public String serviceAccount() {
                return "savepoint-trainer";
            }

            public String s3Secret() {
                return "savepoint-trainer-s3";
            }

            public long terminationGraceSeconds() {
                return 60;
            }

            public long finalUploadSeconds() {
                return 120;
            }

            public Optional<String> s3Endpoint() {
                return s3Endpoint;
            }

            public String s3Bucket() {
                return "ckpts";
            }

            public Optional<String> kafkaBootstrap() {
                return Optional.of("kafka.savepoint.svc:9092");
            }

            public Optional<String> jobTemplate() {
                return jobTemplate;
            }

            public Optional<Long> activeDeadlineSeconds() {
                return Optional.of(86_400L * 7);
            }

            public long ttlSecondsAfterFinished() {
                return 3_600;
            }
        };
    }
}
