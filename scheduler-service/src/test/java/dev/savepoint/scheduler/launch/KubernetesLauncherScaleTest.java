package dev.savepoint.scheduler.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent runs on fabric8's mock API server: every attempt is launched as a Job, a simulated cluster runs its
 * pod and ends it (10% of attempts fail: evicted, OOM-killed, crashed or their Job deleted, from a seeded random,
 * printed), the launcher's informers notice each failure once, and a driver loop in the scheduler's place (the tick:
 * {@code unreportedFailures()}, then the next attempt's launch) relaunches it until every run has succeeded. Asserts
 * that every failure is reported exactly once with its reason and every run ends; prints launches per second and CPU
 * time (measured, never asserted). The scheduler's own decisions are RestartPolicy's and tested apart.
 */
class KubernetesLauncherScaleTest {

    static final int RUNS = Integer.getInteger("savepoint.scale.runs", 1_000);
    static final double FAILING = 0.10;
    static final List<FailureReason> FATES = List.of(FailureReason.PREEMPTED, FailureReason.OOM_KILLED,
            FailureReason.CRASHED, FailureReason.KILLED);

    /** Kept referenced: the mock server logs each request, which here would be tens of thousands of lines. */
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    final long seed = Long.getLong("savepoint.scale.seed", System.nanoTime());
    final Map<String, FailureReason> expected = new ConcurrentHashMap<>();
    final Set<String> reported = ConcurrentHashMap.newKeySet();
    final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    final AtomicInteger launches = new AtomicInteger();
    final AtomicLong launcherCpuNanos = new AtomicLong();
    final java.util.Queue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    /** The fate of an attempt, the same whatever the threads' order: null to succeed, else how it fails. */
    FailureReason fate(int run, int attempt) {
        // SplittableRandom mixes its seed: java.util.Random's first value barely differs between neighbouring seeds,
        // so a run whose attempt 1 failed would fail again and again
        SplittableRandom random = new SplittableRandom(seed + run * 0x9E3779B97F4A7C15L
                + attempt * 0xBF58476D1CE4E5B9L);
        return random.nextDouble() < FAILING ? FATES.get(random.nextInt(FATES.size())) : null;
    }

    @Test
    void thousandConcurrentRunsAreLaunchedAndEveryFailureIsNoticedOnceAndRelaunched() throws Exception {
        QUIET.setLevel(Level.WARNING);
        System.out.println("KubernetesLauncherScaleTest seed " + seed + " (rerun with -Dsavepoint.scale.seed="
                + seed + ")");
        RunSpec spec = Json.read(KubernetesLauncherTest.SPEC, RunSpec.class);
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService launchPool = Executors.newFixedThreadPool(8);
        ExecutorService cluster = Executors.newFixedThreadPool(8);
        try (KubernetesFixture k8s = new KubernetesFixture()) {
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            java.util.function.BiConsumer<Integer, Integer> launchAttempt = (run, attempt) -> launchPool.submit(() -> {
                try {
                    long cpu = threads.getCurrentThreadCpuTime();
                    LaunchAttempt command = LaunchAttempt.of("scale-" + run, attempt, spec,
                            attempt == 1 ? null : "latest", null);
                    k8s.launcher.launch(command);
                    launcherCpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu);
                    launches.incrementAndGet();
                    cluster.submit(() -> guarded(() -> runPod(k8s, command)));
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            });
            for (int run = 0; run < RUNS; run++) {
                launchAttempt.accept(run, 1);
            }
            // the scheduler's tick: collect the launcher's failures, relaunch each as the next attempt
            long[] lastPrint = {start};
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(110)).until(() -> {
                if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                    lastPrint[0] = System.nanoTime();
                    System.out.println("KubernetesLauncherScaleTest: " + progress());
                }
                long cpu = threads.getCurrentThreadCpuTime();
                List<AttemptFailed> failures = k8s.launcher.unreportedFailures();
                launcherCpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu);
                for (AttemptFailed f : failures) {
                    String key = f.runId() + "#" + f.attempt();
                    assertTrue(reported.add(key), "reported twice: " + key);
                    assertEquals(expected.get(key), f.reason(), key + ": " + f.message());
                    launchAttempt.accept(Integer.parseInt(f.runId().substring("scale-".length())), f.attempt() + 1);
                }
                assertTrue(errors.isEmpty(), () -> "launcher or cluster call failed: " + errors);
                return succeeded.size() == RUNS && reported.size() == expected.size();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long processCpu = os.getProcessCpuTime() - cpuStart;
            assertEquals(expected.keySet(), reported, "every failure reported");
            System.out.printf("KubernetesLauncherScaleTest: %d runs, %d launches (%d failed attempts: %s) in %.1f s "
                    + "= %.1f launches/s; process CPU %.1f s (mock API server and simulated cluster included), "
                    + "launcher calls' CPU %.1f s (launch + unreportedFailures, informer threads not included), "
                    + "%d cores%n", RUNS, launches.get(), expected.size(), histogram(), seconds,
                    launches.get() / seconds, processCpu / 1e9, launcherCpuNanos.get() / 1e9,
                    Runtime.getRuntime().availableProcessors());
        } finally {
            launchPool.shutdownNow();
            cluster.shutdownNow();
            launchPool.awaitTermination(10, TimeUnit.SECONDS);
            cluster.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private String progress() {
        return launches.get() + " launches, " + succeeded.size() + " runs succeeded, " + reported.size() + " of "
                + expected.size() + " failures reported";
    }

    private Map<FailureReason, Long> histogram() {
        return expected.values().stream().collect(java.util.stream.Collectors.groupingBy(r -> r,
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    /**
     * The cluster's part: the pod ends as its fate says (a failing one runs first), and the Job controller marks a
     * failed pod's Job failed. A succeeded Job's status is left alone: the launcher ignores successes (the attempt
     * reports its own), and the mock API server is the bottleneck here, not the launcher.
     */
    private void runPod(KubernetesFixture k8s, LaunchAttempt command) {
        int run = Integer.parseInt(command.runId().substring("scale-".length()));
        int attempt = command.attempt();
        String job = KubernetesLauncher.jobName(command.runId(), attempt);
        Map<String, String> labels = k8s.job(job).getSpec().getTemplate().getMetadata().getLabels();
        FailureReason fate = fate(run, attempt);
        var pod = KubernetesFixture.podOf(job, labels).withNewStatus().withPhase(fate == null ? "Succeeded" : "Failed");
        if (fate != null) {
            expected.put("scale-" + run + "#" + attempt, fate);
            k8s.createPod(KubernetesFixture.podOf(job, labels).withNewStatus().withPhase("Running").endStatus()
                    .build());
        }
        if (fate == FailureReason.KILLED) { // kubectl delete job, and the garbage collector takes its pod
            k8s.client.batch().v1().jobs().inNamespace(KubernetesFixture.NAMESPACE).withName(job).delete();
            k8s.client.pods().inNamespace(KubernetesFixture.NAMESPACE).withName(job + "-x").delete();
            return;
        }
        if (fate == FailureReason.PREEMPTED) {
            pod.addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("PreemptionByScheduler")
                    .endCondition();
        }
        int exit = fate == null ? 0 : fate == FailureReason.CRASHED ? 1 : 137;
        k8s.createPod(pod.addToContainerStatuses(new ContainerStatusBuilder().withName("attempt").withNewState()
                .withNewTerminated().withExitCode(exit).withReason(fate == FailureReason.OOM_KILLED ? "OOMKilled"
                        : exit == 0 ? "Completed" : "Error").endTerminated().endState().build()).endStatus().build());
        if (fate != null) {
            k8s.failJob(job);
        } else {
            succeeded.add("scale-" + run);
        }
    }
}
