package dev.savepoint.trainer.engine;

import dev.savepoint.contracts.spec.DataSpec;
import dev.savepoint.contracts.spec.ModelSpec;
import dev.savepoint.contracts.spec.OptimizerSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.ScheduleSpec;
import java.util.List;

/** Small run specs for engine tests: a dropout MLP with AdamW and a CNN with SGD momentum. */
final class TestSpecs {

    private TestSpecs() {
    }

    static RunSpec mlpAdamW(int threads) {
        ModelSpec model = new ModelSpec("mlp", 16, List.of(32, 32), 4, 0.2, null, null);
        OptimizerSpec optimizer = new OptimizerSpec("adamw", 0.01, 0.01, null, null, null, null);
        ScheduleSpec schedule = new ScheduleSpec("cosine", 20, 0.0001, null, null);
        return run(model, optimizer, schedule, threads);
    }

    static RunSpec cnnSgd(int threads) {
        ModelSpec model = new ModelSpec("cnn", 16, null, 4, 0.0, List.of(4, 8), 3);
        OptimizerSpec optimizer = new OptimizerSpec("sgd", 0.05, 0.0005, null, null, null, 0.9);
        ScheduleSpec schedule = new ScheduleSpec("step", null, null, 100, 0.5);
        return run(model, optimizer, schedule, threads);
    }

    static RunSpec demoMlp(int threads) {
        ModelSpec model = new ModelSpec("mlp", 32, List.of(256, 256), 10, 0.1, null, null);
        OptimizerSpec optimizer = new OptimizerSpec("adamw", 0.001, 0.01, null, null, null, null);
        RunSpec base = run(model, optimizer, ScheduleSpec.constant(), threads);
        return new RunSpec("demo", 7L, 1000, 64, model, new DataSpec("synthetic", 4096, 10, 3L, null, null, null),
                optimizer, base.schedule(), null, null, null, base.runtime());
    }

    static TrainingData dataFor(RunSpec spec) {
        return DataSources.fromSpec(spec.data(), spec.model(), null);
    }

    private static RunSpec run(ModelSpec model, OptimizerSpec optimizer, ScheduleSpec schedule, int threads) {
        // 500 samples with batch 32 makes batches straddle epoch boundaries, which resume must also get right.
        DataSpec data = new DataSpec("synthetic", 500, 4, 11L, null, null, null);
        return new RunSpec("engine-test", 42L, 300, 32, model, data, optimizer, schedule, null, null, null,
                new RuntimeSpec(threads, null, null, null));
    }
}
