package dev.savepoint.e2e;

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
}
