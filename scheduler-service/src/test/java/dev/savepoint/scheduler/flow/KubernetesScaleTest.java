package dev.savepoint.scheduler.flow;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.scheduler.launch.KubernetesLauncher;
import dev.savepoint.scheduler.launch.KubernetesMockApiServer;
import dev.savepoint.scheduler.launch.MockCluster;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TopicTail;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scale through the real scheduler: {@code savepoint.scale.runs} concurrent runs (100 by default; 1,000, the
 * acceptance figure of issue 13, takes about 10 minutes on 2 busy cores) submitted over REST, launched by the kubernetes launcher on fabric8's mock API
 * server, with the real broker and database. A driver plays the cluster and the attempts: each new Job's pod runs
 * and its attempt reports AttemptStarted; 90% then succeed (AttemptSucceeded and the CheckpointCommitted of the final
 * step, which a built-in run's claim waits for), 10%, by a seeded random choice (printed;
 * {@code -Dsavepoint.scale.seed} replays it), are evicted, OOM-killed or crash, and the scheduler must notice each
 * through its watch, decide and relaunch. Asserts every run succeeded with one attempt more than its failures, each
 * failure recorded with its reason and published once by the launcher; prints launches per second and CPU (measured, never asserted).
 */
@QuarkusTest
@TestProfile(KubernetesScaleTest.OnKubernetes.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class KubernetesScaleTest {

    /** 100 in CI (about 3 minutes on 2 busy cores); the acceptance figure is 1,000: -Dsavepoint.scale.runs=1000. */
    static final int RUNS = Integer.getInteger("savepoint.scale.runs", 100);
    static final double FAILING = 0.10;
    static final List<FailureReason> FATES = List.of(FailureReason.PREEMPTED, FailureReason.OOM_KILLED,
            FailureReason.CRASHED);
    static final long FINAL_STEP = 100;
    static final String PARAMS = "a".repeat(64);

    /** The kubernetes launcher on the mock API server, the ordinary 1 s tick. */
    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.scheduler.tick", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubernetesMockApiServer.class));
        }
    }

    /** Leases long enough that the attempts need no heartbeats: failures come from the cluster only. */
    static String spec(String name) {
        return """
                {"name": "%s", "seed": 1, "maxSteps": %d, "batchSize": 8,
                 "model": {"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 2},
                 "data": {"type": "synthetic", "samples": 64, "classes": 2, "seed": 2},
                 "optimizer": {"type": "sgd", "lr": 0.1},
                 "restart": {"maxRestarts": 10, "backoffInitialMs": 50, "backoffMaxMs": 200, "crashLoopLimit": 10},
                 "runtime": {"heartbeatMillis": 600000}}
                """.formatted(name, FINAL_STEP);
    }

    final long seed = Long.getLong("savepoint.scale.seed", System.nanoTime());
    final String prefix = "scale-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    final RunSpec runSpec = Json.read(spec("x"), RunSpec.class);
    final MockCluster cluster = KubernetesMockApiServer.cluster();
    /** The failure each failed attempt was given, by "run#attempt". */
    final Map<String, FailureReason> expected = new ConcurrentHashMap<>();
    final AtomicInteger launches = new AtomicInteger();
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    /** The fate of an attempt, whatever the threads' order: null to succeed, else how it fails. */
    FailureReason fate(String runId, int attempt) {
        SplittableRandom random = new SplittableRandom(seed + runId.hashCode() * 0x9E3779B97F4A7C15L
                + attempt * 0xBF58476D1CE4E5B9L);
        return random.nextDouble() < FAILING ? FATES.get(random.nextInt(FATES.size())) : null;
    }

    @Test
    void concurrentRunsAreLaunchedAndEveryClusterFailureIsNoticedAndRelaunched() throws Exception {
        System.out.printf("KubernetesScaleTest: %d runs, seed %d (rerun with -Dsavepoint.scale.seed=%d)%n", RUNS,
                seed, seed);
        ExecutorService driver = Executors.newFixedThreadPool(4, named("scale-driver"));
        ExecutorService submitters = Executors.newFixedThreadPool(4, named("scale-submit"));
        SharedIndexInformer<Job> jobs = cluster.client.batch().v1().jobs()
                .inNamespace(KubernetesMockApiServer.NAMESPACE).withLabel(KubernetesLauncher.RUN_LABEL)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Job job) {
                        launches.incrementAndGet();
                        driver.execute(() -> play(job));
                    }

                    @Override
                    public void onUpdate(Job before, Job after) {
                    }

                    @Override
                    public void onDelete(Job job, boolean finalStateUnknown) {
                    }
                });
        TopicTail runEvents = TopicTail.fromNow(Topics.RUNS);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            Map<Long, Long> threadCpuStart = threadCpu(threads);
            Map<Long, String> names = new HashMap<>();
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                String name = prefix + i;
                submitted.add(submitters.submit(() -> Fixtures.submit(spec(name))));
            }
            List<String> runIds = new ArrayList<>();
            for (Future<String> f : submitted) {
                runIds.add(f.get(30, TimeUnit.MINUTES));
            }
            double submitSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("KubernetesScaleTest: %d runs submitted over REST in %.1f s (%.1f/s)%n", RUNS,
                    submitSeconds, RUNS / submitSeconds);

            long[] lastPrint = {System.nanoTime()};
            await().pollInterval(Duration.ofSeconds(5)).atMost(Duration.ofMinutes(20)).until(() -> {
                Map<String, Long> states = states();
                if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                    lastPrint[0] = System.nanoTime();
                    System.out.printf("KubernetesScaleTest: %d Jobs launched, %d failures driven, runs %s%n",
                            launches.get(), expected.size(), states);
                    recordNames(threads, names);
                }
                assertTrue(errors.isEmpty(), () -> "the driver failed: " + errors);
                assertEquals(0L, states.getOrDefault("GAVE_UP", 0L), "no run gives up: " + states);
                return states.getOrDefault("SUCCEEDED", 0L) == RUNS;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long processCpu = os.getProcessCpuTime() - cpuStart;
            recordNames(threads, names);
            Map<String, Double> byGroup = cpuByThreadGroup(threads, threadCpuStart, names);
            System.out.printf("KubernetesScaleTest: %d runs, %d launches (%d failed attempts: %s) in %.1f s = %.1f "
                    + "launches/s; process CPU %.1f s on %d cores (the mock API server, the driver and the test's "
                    + "Kafka producer run in the same JVM); CPU by thread group, s: %s%n", RUNS, launches.get(),
                    expected.size(), histogram(), seconds, launches.get() / seconds, processCpu / 1e9,
                    Runtime.getRuntime().availableProcessors(), byGroup);

            assertEveryRunSucceededAfterItsFailures(runIds);
            assertEachFailureReportedOnce(runEvents, runIds);
        } finally {
            runEvents.close();
            jobs.close();
            driver.shutdownNow();
            submitters.shutdownNow();
            driver.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void assertEveryRunSucceededAfterItsFailures(List<String> runIds) {
        Map<String, List<String>> failedCauses = new TreeMap<>();
        expected.forEach((key, reason) -> failedCauses.computeIfAbsent(key.substring(0, key.indexOf('#')),
                k -> new ArrayList<>()).add(key.substring(key.indexOf('#') + 1) + "=" + reason));
        for (String runId : runIds) {
            var run = given().when().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
            List<String> failures = failedCauses.getOrDefault(runId, List.of());
            assertEquals("SUCCEEDED", run.getString("state"), runId);
            assertEquals(failures.size() + 1, run.getInt("currentAttempt"), runId + " failed " + failures);
            if (!failures.isEmpty()) {
                List<Map<String, Object>> attempts = given().when().get("/api/runs/" + runId + "/attempts").then()
                        .statusCode(200).extract().jsonPath().getList("$");
                List<String> causes = attempts.stream().filter(a -> a.get("cause") != null)
                        .map(a -> a.get("attempt") + "=" + a.get("cause")).sorted().toList();
                assertEquals(failures.stream().sorted().toList(), causes, runId);
            }
        }
    }

    /** The launcher's AttemptFailed events on savepoint.runs: one per failed attempt, signal and tick together. */
    private void assertEachFailureReportedOnce(TopicTail runEvents, List<String> runIds) {
        Set<String> ours = Set.copyOf(runIds);
        for (int idle = 0, seen = -1; idle < 3; ) { // each read takes one poll's worth: read until nothing is new
            int now = runEvents.records().size();
            idle = now == seen ? idle + 1 : 0;
            seen = now;
        }
        List<String> reported = runEvents.events(AttemptFailed.class, e -> ours.contains(e.runId())
                && "kubernetes".equals(e.reporter())).stream().map(e -> e.runId() + "#" + e.attempt()).toList();
        assertEquals(reported.size(), Set.copyOf(reported).size(), "a failure reported twice");
        assertEquals(expected.keySet(), Set.copyOf(reported));
    }

    /** Runs of this test by state, from the list API (500 a page). */
    private Map<String, Long> states() {
        Map<String, Long> states = new TreeMap<>();
        for (int page = 0; page * 500 < RUNS + 500; page++) {
            List<Map<String, Object>> runs = given().queryParam("page", page).queryParam("size", 500)
                    .when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
            runs.stream().filter(r -> String.valueOf(r.get("name")).startsWith(prefix))
                    .forEach(r -> states.merge(String.valueOf(r.get("state")), 1L, Long::sum));
            if (runs.size() < 500) {
                break;
            }
        }
        return states;
    }

    /**
     * The cluster's and the attempt's part for a new Job: its pod runs, the attempt reports its start, then ends as
     * its fate says; a failed pod's Job is marked failed, as the Job controller does.
     */
    private void play(Job job) {
        try {
            String runId = job.getMetadata().getAnnotations().get(KubernetesLauncher.RUN_ID_ANNOTATION);
            int attempt = Integer.parseInt(job.getMetadata().getLabels().get(KubernetesLauncher.ATTEMPT_LABEL));
            String name = job.getMetadata().getName();
            Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
            cluster.createPod(MockCluster.podOf(name, labels).withNewStatus().withPhase("Running").endStatus().build());
            KafkaTestClient.send(Topics.RUNS, AttemptStarted.of(runId, attempt, runSpec, null, null, "test", 4242L));
            FailureReason fate = fate(runId, attempt);
            if (fate == null) {
                cluster.createPod(MockCluster.podOf(name, labels).withNewStatus().withPhase("Succeeded")
                        .withContainerStatuses(MockCluster.terminated(0, "Completed")).endStatus().build());
                KafkaTestClient.send(Topics.RUNS, AttemptSucceeded.of(runId, attempt, FINAL_STEP, PARAMS, 0.1, 1, 0));
                KafkaTestClient.send(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, attempt,
                        runId + "-ck-" + attempt, FINAL_STEP, 10L, PARAMS));
                return;
            }
            expected.put(runId + "#" + attempt, fate);
            PodBuilder pod = MockCluster.podOf(name, labels);
            switch (fate) {
                case PREEMPTED -> cluster.createPod(pod.withNewStatus().withPhase("Failed").addNewCondition()
                        .withType("DisruptionTarget").withStatus("True").withReason("PreemptionByScheduler")
                        .endCondition().withContainerStatuses(MockCluster.terminated(143, "Error")).endStatus()
                        .build());
                case OOM_KILLED -> cluster.createPod(pod.withNewStatus().withPhase("Failed")
                        .withContainerStatuses(MockCluster.terminated(137, "OOMKilled")).endStatus().build());
                default -> cluster.createPod(pod.withNewStatus().withPhase("Failed")
                        .withContainerStatuses(MockCluster.terminated(1, "Error")).endStatus().build());
            }
            cluster.failJob(name);
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private Map<FailureReason, Long> histogram() {
        return expected.values().stream().collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        }
        return cpu;
    }

    private static void recordNames(ThreadMXBean threads, Map<Long, String> names) {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
    }

    /**
     * CPU seconds of the threads alive at the end, since the start, grouped by name without its numbers; a thread
     * that ended meanwhile is not counted (the process figure has it).
     */
    private static Map<String, Double> cpuByThreadGroup(ThreadMXBean threads, Map<Long, Long> start,
            Map<Long, String> names) {
        Map<String, Double> groups = new TreeMap<>();
        threadCpu(threads).forEach((id, cpu) -> {
            String group = names.getOrDefault(id, "?").replaceAll("[0-9]+", "#").replaceAll(" \\| .*", "");
            groups.merge(group, (cpu - start.getOrDefault(id, 0L)) / 1e9, Double::sum);
        });
        groups.values().removeIf(s -> s < 0.5);
        groups.replaceAll((g, s) -> Math.round(s * 10) / 10.0);
        return groups;
    }
}
