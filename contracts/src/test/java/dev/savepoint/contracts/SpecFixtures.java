package dev.savepoint.contracts;

import dev.savepoint.contracts.spec.RunSpec;

/** The run spec of the trainer issue, as JSON and parsed. */
final class SpecFixtures {

    static final String DEMO_JSON = """
            {"name": "demo-mlp", "seed": 42, "maxSteps": 2000, "batchSize": 64,
             "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
             "data": {"type": "synthetic", "samples": 8192, "classes": 10, "seed": 7},
             "optimizer": {"type": "adamw", "lr": 0.001, "weightDecay": 0.01, "beta1": 0.9, "beta2": 0.999},
             "schedule": {"type": "cosine", "warmupSteps": 100, "minLr": 0.00001},
             "checkpoint": {"everySteps": 100, "everySeconds": null},
             "retention": {"keepLast": 3, "keepBest": 1, "metric": "loss", "mode": "min", "keepEverySteps": 1000},
             "restart": {"maxRestarts": 5}}
            """;

    private SpecFixtures() {
    }

    static RunSpec demo() {
        return Json.spec(DEMO_JSON.getBytes());
    }
}
