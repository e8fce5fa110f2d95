package dev.savepoint.trainer.engine;

import dev.savepoint.contracts.spec.DataSpec;
import dev.savepoint.contracts.spec.ModelSpec;
import dev.savepoint.contracts.spec.OptimizerSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.ScheduleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Small run specs for engine tests: a dropout MLP with AdamW, a CNN with SGD momentum, a tiny transformer. */
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

    /** A 2-block transformer (dModel 32, 4 heads, 32 positions) on the sample text, AdamW with cosine decay. */
    static RunSpec tinyTransformer(int threads) {
        ModelSpec model = ModelSpec.transformer(2, 32, 4, 32);
        OptimizerSpec optimizer = new OptimizerSpec("adamw", 0.003, 0.01, null, null, null, null);
        ScheduleSpec schedule = new ScheduleSpec("cosine", 20, 0.0003, null, null);
        DataSpec data = new DataSpec("text", null, null, 5L, SAMPLE_TEXT, null, null);
        return new RunSpec("engine-lm", 42L, 300, 8, model, data, optimizer, schedule, null, null, null,
                new RuntimeSpec(threads, null, null, null));
    }

    /** The test resource a text spec names; read from the class path. */
    static final String SAMPLE_TEXT = "text/sample.txt";

    static TrainingData dataFor(RunSpec spec) {
        if (spec.data().type().equals("text")) {
            try (InputStream in = TestSpecs.class.getClassLoader().getResourceAsStream(spec.data().path())) {
                return DataSources.fromSpec(spec.data(), spec.model(), in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return DataSources.fromSpec(spec.data(), spec.model(), null);
    }

    private static RunSpec run(ModelSpec model, OptimizerSpec optimizer, ScheduleSpec schedule, int threads) {
        // 500 samples with batch 32 makes batches straddle epoch boundaries, which resume must also get right.
        DataSpec data = new DataSpec("synthetic", 500, 4, 11L, null, null, null);
        return new RunSpec("engine-test", 42L, 300, 32, model, data, optimizer, schedule, null, null, null,
                new RuntimeSpec(threads, null, null, null));
    }
}
