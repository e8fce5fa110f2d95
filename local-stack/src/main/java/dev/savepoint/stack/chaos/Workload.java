package dev.savepoint.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RestartSpec;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.stack.SavepointClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The training a chaos run disturbs: built-in MLP runs and command runs (the fake sd-scripts trainer, kohya preset),
 * each with a checkpoint every few seconds and restarts enough for any number of faults, kept live for the whole
 * chaos window by submitting a new run whenever one ends.
 */
final class Workload {

    /** Restarts enough for every fault of a long chaos run; no backoff, so that a relaunch follows at once. */
    private static final String RESTART = "{\"maxRestarts\": 200, \"backoffInitialMs\": 0, \"crashLoopLimit\": 200}";
    private static final String FAKE_TRAINER = "examples/testing/fake_sd_scripts.py";

    private final SavepointClient client;
    private final Path repo;
    private final int steps;
    private final PrintStream log;
    private final List<Invariants.Run> submitted = new CopyOnWriteArrayList<>();
    private final List<String> live = new CopyOnWriteArrayList<>();
    private final java.util.Optional<String> python;
    private String twin;

    Workload(SavepointClient client, Path repo, int steps, PrintStream log) {
        this.client = client;
        this.repo = repo;
        this.steps = steps;
        this.log = log;
        this.python = findPython();
    }

    /** Trains the built-in runs' uninterrupted twin before any fault: its final hash is what each must end with. */
    String twin(Duration timeout) {
        String runId = client.submit(mlp("chaos-twin"));
        JsonNode run = awaitDone(runId, timeout);
        if (!run.path("state").asText().equals("SUCCEEDED") || run.path("restarts").asInt() != 0) {
            throw new IllegalStateException("the uninterrupted twin did not train uninterrupted: " + run);
        }
        twin = run.path("finalParamsSha256").asText();
        log.printf("chaos: twin of %d steps trained uninterrupted: %s%n", steps, twin);
        return twin;
    }

    /** Submits runs until {@code builtIn} built-in and {@code command} command runs are live. */
    void topUp(int builtIn, int command) {
        live.removeIf(id -> RecoveryWatch.DONE.contains(state(id)));
        long liveBuiltIn = submitted.stream().filter(r -> live.contains(r.runId()) && r.kind().equals("built-in"))
                .count();
        long liveCommand = submitted.stream().filter(r -> live.contains(r.runId()) && r.kind().equals("command"))
                .count();
        for (long i = liveBuiltIn; i < builtIn; i++) {
            add(new Invariants.Run(client.submit(mlp("chaos-mlp")), "built-in", twin));
        }
        if (python.isPresent()) {
            for (long i = liveCommand; i < command; i++) {
                add(new Invariants.Run(client.submit(commandSpec(python.get())), "command", null));
            }
        }
    }

    List<String> live() {
        return List.copyOf(live);
    }

    List<Invariants.Run> submitted() {
        return List.copyOf(submitted);
    }

    /** Waits until every run submitted has ended (or {@code timeout} passed). */
    void awaitAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Invariants.Run r : submitted) {
            awaitDone(r.runId(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private void add(Invariants.Run run) {
        submitted.add(run);
        live.add(run.runId());
        log.printf("chaos: submitted %s run %s%n", run.kind(), run.runId());
    }

    private JsonNode awaitDone(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!RecoveryWatch.DONE.contains(state(runId)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500); // polling the scheduler for the run's end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return client.run(runId);
    }

    private String state(String runId) {
        try {
            return client.run(runId).path("state").asText();
        } catch (RuntimeException unreachable) {
            return "UNKNOWN"; // the scheduler is out: asked again later
        }
    }

    /** The demo MLP with a checkpoint every 50 steps and heartbeats every 250 ms. */
    private String mlp(String name) {
        return """
                {"name": "%s", "seed": 42, "maxSteps": %d, "batchSize": 64,
                 "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
                 "data": {"type": "synthetic", "samples": 8192, "classes": 10, "seed": 7},
                 "optimizer": {"type": "adamw", "lr": 0.001, "weightDecay": 0.01},
                 "schedule": {"type": "cosine", "warmupSteps": 100, "minLr": 0.00001},
                 "checkpoint": {"everySteps": 50},
                 "retention": {"keepLast": 3},
                 "restart": %s,
                 "runtime": {"heartbeatMillis": 250}}
                """.formatted(name, steps, RESTART);
    }

    /** The fake sd-scripts trainer saving its state every 10 of its steps, 50 ms a step. */
    private String commandSpec(String python) {
        int commandSteps = Math.max(100, steps / 10);
        TrainerSpec trainer = new TrainerSpec(TrainerSpec.COMMAND, TrainerSpec.KOHYA, List.of(python,
                repo.resolve(FAKE_TRAINER).toString(), "--output_dir", "{outputDir}", "--output_name", "fake",
                "--max_train_steps", Integer.toString(commandSteps), "--save_every_n_steps", "10", "--step_seconds",
                "0.05"), null, Map.of("PYTHONUNBUFFERED", "1"), null, null, null, null, null, null, null, null, null,
                null);
        return Json.writeString(RunSpec.command("chaos-command", commandSteps, trainer,
                new RetentionSpec(3, null, null, null, null, null), new RestartSpec(200, 0L, null, null, 200),
                new RuntimeSpec(null, 250, null, "1Gi")));
    }

    private java.util.Optional<String> findPython() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                if (p.waitFor() == 0 && Files.isRegularFile(repo.resolve(FAKE_TRAINER))) {
                    return java.util.Optional.of(candidate);
                }
            } catch (Exception absent) {
                // not on PATH: try the next name
            }
        }
        return java.util.Optional.empty();
    }

    /** For the report: how many runs of each kind were trained. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add(submitted.stream().filter(r -> r.kind().equals("built-in")).count() + " built-in runs of " + steps
                + " steps, " + submitted.stream().filter(r -> r.kind().equals("command")).count() + " command runs");
        return lines;
    }
}
