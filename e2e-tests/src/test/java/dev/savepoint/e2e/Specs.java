package dev.savepoint.e2e;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RestartSpec;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import java.util.List;
import java.util.Map;

/** Run specs of the end-to-end tests. */
final class Specs {

    /** Restarts enough for the longest kill series (20 kills in a row) without giving up. */
    static final String MANY_RESTARTS = "{\"maxRestarts\": 30, \"backoffInitialMs\": 0, \"crashLoopLimit\": 30}";

    private Specs() {
    }

    /** The demo MLP (dropout, AdamW, cosine) for {@code steps} steps, checkpoint every 100, heartbeat every 250 ms. */
    static String mlp(String name, int steps, String restart) {
        return mlp(name, steps, restart, "{}");
    }

    /** The same with a retention policy; retention decides which checkpoints stay, never the trained bits. */
    static String mlp(String name, int steps, String restart, String retention) {
        return """
                {"name": "%s", "seed": 42, "maxSteps": %d, "batchSize": 64,
                 "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
                 "data": {"type": "synthetic", "samples": 8192, "classes": 10, "seed": 7},
                 "optimizer": {"type": "adamw", "lr": 0.001, "weightDecay": 0.01},
                 "schedule": {"type": "cosine", "warmupSteps": 100, "minLr": 0.00001},
                 "checkpoint": {"everySteps": 100},
                 "retention": %s,
                 "restart": %s,
                 "runtime": {"heartbeatMillis": 250}}
                """.formatted(name, steps, retention, restart);
    }

    static String mlp(String name, int steps) {
        return mlp(name, steps, "{\"maxRestarts\": 10, \"backoffInitialMs\": 0, \"crashLoopLimit\": 5}");
    }

    /**
     * A command run ({@code trainer.type: command}) of {@code preset} running {@code command}, heartbeat every 250 ms,
     * restarts without backoff, and retention that keeps every checkpoint, so that a test can read the whole history.
     * {@code marker} may be null (then a state is complete once no file of it changed for the default 2 s).
     */
    static String command(String name, int maxSteps, String preset, List<String> command, String marker,
            int maxRestarts) {
        TrainerSpec trainer = new TrainerSpec(TrainerSpec.COMMAND, preset, command, null,
                Map.of("PYTHONUNBUFFERED", "1"), null, null, null, null, null, marker, null, null, null, null);
        return Json.writeString(RunSpec.command(name, maxSteps, trainer,
                new RetentionSpec(1000, null, null, null, null, null),
                new RestartSpec(maxRestarts, 0L, null, null, Math.max(1, maxRestarts)),
                new RuntimeSpec(null, 250, null, "1Gi")));
    }
}
