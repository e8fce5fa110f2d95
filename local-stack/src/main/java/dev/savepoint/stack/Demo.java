package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ./savepoint demo}: submits the demo run, SIGKILLs its attempt twice at random steps, shows each automatic
 * resume, then compares its final hash with the same spec run without interruption.
 */
final class Demo {

    private static final Set<String> DONE = Set.of("SUCCEEDED", "GAVE_UP", "CANCELLED");

    private final SavepointClient client;
    private final PrintStream out;

    private Demo(SavepointClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    static int run(Services services, Path repo, PrintStream out) {
        try {
            String spec = Files.readString(repo.resolve("examples/demo-mlp.json"));
            return new Demo(new SavepointClient(services), out).play(spec, services);
        } catch (IOException e) {
            throw new StackException("cannot read examples/demo-mlp.json: " + e.getMessage(), e);
        }
    }

    private int play(String spec, Services services) {
        String runId = client.submit(spec);
        out.printf("%nSubmitted run %s (examples/demo-mlp.json: 2000 steps, a checkpoint every 100).%n", runId);
        long maxSteps = 2000;
        for (int kill = 1; kill <= 2; kill++) {
            long target = ThreadLocalRandom.current().nextLong(kill * maxSteps / 3 - 300, kill * maxSteps / 3 + 100);
            killAttemptAt(runId, kill, target);
            showResume(runId, kill + 1);
        }
        JsonNode run = await(runId);
        out.printf("%nRun %s %s after %d attempts.%n", runId, run.path("state").asText(),
                run.path("currentAttempt").asInt());
        out.println("Running the same spec again without interruption, for comparison...");
        String referenceId = client.submit(spec);
        JsonNode reference = await(referenceId);
        String a = run.path("finalParamsSha256").asText();
        String b = reference.path("finalParamsSha256").asText();
        out.printf("  final parameters, killed twice : %s%n  final parameters, uninterrupted: %s%n  %s%n", a, b,
                a.equals(b) && !a.isEmpty() ? "identical: the resumes lost nothing" : "DIFFERENT");
        out.printf("%nConsole: %s/console   Runs API: %s/api/runs/%s%n(sign in with the API token in %s)%n",
                services.service("checkpoint-service").url(), services.service("scheduler-service").url(), runId,
                ".savepoint/token");
        return a.equals(b) && !a.isEmpty() ? 0 : 1;
    }

    private void killAttemptAt(String runId, int attempt, long step) {
        Ports.await(Duration.ofMinutes(3), () -> client.run(runId).path("step").asLong() >= step
                && client.run(runId).path("currentAttempt").asInt() == attempt
                || DONE.contains(client.run(runId).path("state").asText()));
        client.attemptPid(runId, attempt).flatMap(ProcessHandle::of).ifPresentOrElse(p -> {
            p.destroyForcibly();
            out.printf("  SIGKILL attempt %d (pid %d) at step ~%d%n", attempt, p.pid(),
                    client.run(runId).path("step").asLong());
        }, () -> out.printf("  attempt %d was not running any more; nothing to kill%n", attempt));
    }

    private void showResume(String runId, int attempt) {
        long t0 = System.nanoTime();
        Ports.await(Duration.ofMinutes(2), () -> attemptRunning(runId, attempt) || DONE.contains(
                client.run(runId).path("state").asText()));
        JsonNode attempts = client.attempts(runId);
        for (JsonNode a : attempts) {
            if (a.path("attempt").asInt() == attempt) {
                JsonNode previous = attempts.get(attempt - 2);
                out.printf("  attempt %d started %.1fs later: previous ended %s, resumed from step %s (checkpoint %s)%n",
                        attempt, (System.nanoTime() - t0) / 1e9, previous.path("cause").asText("?"),
                        a.path("resumedFromStep").asText("?"), a.path("resumedFromCheckpointId").asText("?"));
            }
        }
    }

    private boolean attemptRunning(String runId, int attempt) {
        for (JsonNode a : client.attempts(runId)) {
            if (a.path("attempt").asInt() == attempt && a.path("state").asText().equals("RUNNING")) {
                return true;
            }
        }
        return false;
    }

    private JsonNode await(String runId) {
        Ports.await(Duration.ofMinutes(10), () -> DONE.contains(client.run(runId).path("state").asText()));
        return client.run(runId);
    }
}
