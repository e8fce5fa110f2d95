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

    static Path write(Path dir, String name, String modelAndOptimizer, int maxSteps, int threads) throws IOException {
        String json = """
                {"name": "%s", "seed": 42, "maxSteps": %d, "batchSize": 64,
                 %s,
                 "data": {"type": "synthetic", "samples": 4096, "classes": 10, "seed": 7},
                 "checkpoint": {"everySteps": 100},
                 "runtime": {"intraOpThreads": %d, "heartbeatMillis": 200}}
                """.formatted(name, maxSteps, modelAndOptimizer, threads);
        Path file = dir.resolve(name + "-" + threads + "t-" + maxSteps + ".json");
        Files.writeString(file, json);
        return file;
    }
}
