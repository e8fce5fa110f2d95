package dev.savepoint.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.SavepointClient;
import dev.savepoint.stack.Services;
import dev.savepoint.stack.StackSettings;
import dev.savepoint.stack.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * All three packaged services as real processes on the shared local stack, on ports of their own (18081-18083),
 * started once per test JVM and stopped when it exits.
 */
final class Cluster {

    static final Set<String> DONE = Set.of("SUCCEEDED", "GAVE_UP", "CANCELLED");

    private static Cluster instance;

    final LocalStack stack;
    final Services services;
    final SavepointClient client;

    private Cluster() {
        this.stack = TestStack.shared();
        Path repo = StackSettings.repositoryRoot();
        // Slow uploads a little, so that a kill can land while a checkpoint is half-written.
        this.services = new Services(stack, repo, repo.resolve("e2e-tests/target/e2e"),
                new Services.ServicePorts(18081, 18082, 18083), Map.of("SAVEPOINT_TEST_UPLOAD_PAUSE_MS", "40"));
        this.client = new SavepointClient(services);
    }

    static synchronized Cluster get() {
        if (instance == null) {
            Cluster c = new Cluster();
            c.services.up(System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> c.services.down(new PrintStream(
                    new ByteArrayOutputStream()))));
            instance = c;
        }
        return instance;
    }

    /** SIGKILLs a service process and, like a lost node, every process it started. */
    void killService(String name) {
        ProcessHandle p = services.running(name).orElseThrow(() -> new AssertionError(name + " is not running"));
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.onExit().join();
    }

    void startService(String name) {
        services.start(services.service(name));
        services.awaitHealthy(services.service(name), System.out);
    }

    JsonNode awaitDone(String runId, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> DONE.contains(client.run(runId).path("state").asText()));
        return client.run(runId);
    }

    /** Waits until the run's attempt {@code attempt} is running and past {@code step}, then returns its pid. */
    long awaitAttemptPast(String runId, int attempt, long step) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                client.run(runId).path("currentAttempt").asInt() == attempt
                        && client.run(runId).path("step").asLong() >= step
                        && client.attemptPid(runId, attempt).isPresent());
        return client.attemptPid(runId, attempt).orElseThrow();
    }
}
