package dev.savepoint.trainer.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run specs of the resume tests, written as the JSON a user would submit. */
final class Specs {

    private Specs() {
    }

    static final String MLP_ADAMW = """
            "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
            "optimizer": {"type": "adamw", "lr": 0.001, "weightDecay": 0.01, "beta1": 0.9, "beta2": 0.999},
            "schedule": {"type": "cosine", "warmupSteps": 100, "minLr": 0.00001}""";

    static final String CNN_SGD = """
            "model": {"type": "cnn", "inputs": 32, "channels": [8, 16], "kernel": 3, "outputs": 10, "dropout": 0.1},
            "optimizer": {"type": "sgd", "lr": 0.05, "momentum": 0.9, "weightDecay": 0.0001},
            "schedule": {"type": "step", "stepSize": 200, "gamma": 0.5, "warmupSteps": 20}""";

    /** Checkpoints every 100 steps, none of them kept by retention: any but the final one may be skipped. */
    static final String EVERY_100 = "\"checkpoint\": {\"everySteps\": 100}";

    /** Checkpoints every 100 steps, each kept by retention ({@code keepEverySteps}), so none is ever skipped. */
    static final String EVERY_100_KEPT = EVERY_100 + ", \"retention\": {\"keepEverySteps\": 100}";

    static Path write(Path dir, String name, String modelAndOptimizer, int maxSteps, int threads) throws IOException {
        return write(dir, name, modelAndOptimizer, maxSteps, threads, EVERY_100);
    }

    /** A spec with {@code checkpointing}: its {@code checkpoint} (and {@code retention}) fields. */
    static Path write(Path dir, String name, String modelAndOptimizer, int maxSteps, int threads, String checkpointing)
            throws IOException {
        String json = """
                {"name": "%s", "seed": 42, "maxSteps": %d, "batchSize": 64,
                 %s,
                 "data": {"type": "synthetic", "samples": 4096, "classes": 10, "seed": 7},
                 %s,
                 "runtime": {"intraOpThreads": %d, "heartbeatMillis": 1000}}
                """.formatted(name, maxSteps, modelAndOptimizer, checkpointing, threads);
        Path file = dir.resolve(name + "-" + threads + "t-" + maxSteps + "-" + Integer.toHexString(
                checkpointing.hashCode()) + ".json");
        Files.writeString(file, json);
        return file;
    }
}
