package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim behind {@code DeterminismFingerprint.MAX_VERIFIED_THREADS}, tested the way the product runs: each
 * built-in model trained uninterrupted by two attempt processes, one at 1 and one at 2 intra-op threads, ends with
 * the same parameter hash on this machine, whichever CPU it has.
 */
class ThreadCountDeterminismTest {

    /** The models of the claim: the small dropout MLP, the 256-wide one (MKL's threaded GEMM), the CNN, the transformer. */
    private static final Map<String, String> MODELS = Map.of(
            "mlp-small", """
                    "model": {"type": "mlp", "inputs": 16, "hidden": [32, 32], "outputs": 4, "dropout": 0.2},
                    "optimizer": {"type": "adamw", "lr": 0.01, "weightDecay": 0.01},
                    "schedule": {"type": "cosine", "warmupSteps": 20, "minLr": 0.0001},
                    "data": {"type": "synthetic", "samples": 500, "classes": 4, "seed": 11}""",
            "mlp-wide", Specs.MLP_ADAMW + """
                    ,
                    "data": {"type": "synthetic", "samples": 4096, "classes": 10, "seed": 7}""",
            "cnn", """
                    "model": {"type": "cnn", "inputs": 16, "channels": [4, 8], "kernel": 3, "outputs": 4},
                    "optimizer": {"type": "sgd", "lr": 0.05, "momentum": 0.9, "weightDecay": 0.0005},
                    "schedule": {"type": "step", "stepSize": 100, "gamma": 0.5},
                    "data": {"type": "synthetic", "samples": 500, "classes": 4, "seed": 11}""",
            "transformer", """
                    "model": {"type": "transformer", "layers": 2, "dModel": 32, "heads": 4, "seqLen": 32},
                    "optimizer": {"type": "adamw", "lr": 0.003, "weightDecay": 0.01},
                    "schedule": {"type": "cosine", "warmupSteps": 20, "minLr": 0.0003},
                    "data": {"type": "text", "path": "{text}", "seed": 5}""");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mlp-small", "mlp-wide", "cnn", "transformer"})
    void oneAndTwoIntraOpThreadsGiveTheSameHashAsAttemptProcesses(String model) throws Exception {
        String runId = "threads-" + model + "-" + UUID.randomUUID();
        AttemptProcess one = AttemptProcess.start(dir, runId + "-1t", 1, spec(model, 1), null, Map.of());
        AttemptProcess two = AttemptProcess.start(dir, runId + "-2t", 1, spec(model, 2), null, Map.of());
        assertEquals(0, one.awaitExit(), one.stderr());
        assertEquals(0, two.awaitExit(), two.stderr());
        assertEquals(one.finalHash(), two.finalHash(), model + ": 1 and 2 intra-op threads gave different bits");
    }

    private Path spec(String model, int threads) throws Exception {
        Path file = dir.resolve(model + "-" + threads + ".json");
        // the sample text, copied under the temp directory, which is a data root
        Path text = dir.resolve("sample.txt");
        try (var in = getClass().getClassLoader().getResourceAsStream("text/sample.txt")) {
            Files.copy(in, text, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(file, """
                {"name": "threads-%s", "seed": 42, "maxSteps": 200, "batchSize": 32,
                 %s,
                 "checkpoint": {"everySteps": 1000},
                 "runtime": {"intraOpThreads": %d}}
                """.formatted(model, MODELS.get(model).replace("{text}", text.toString()), threads));
        return file;
    }
}
