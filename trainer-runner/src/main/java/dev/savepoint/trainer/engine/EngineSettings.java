package dev.savepoint.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The process-wide PyTorch knobs that decide reproducibility: intra-op threads and the global RNG seed. */
public final class EngineSettings {

    /**
     * Environment the native libraries read at load time. Plain {@code MKL_CBWR=AVX2} is not enough: a 256-wide GEMM
     * then still sums in a thread-count dependent order; {@code STRICT} fixes that (measured on DJL 0.36 / torch 2.7.1).
     */
    public static final Map<String, String> DETERMINISM_ENV = dev.savepoint.contracts.runtime.AttemptEnvironment.DETERMINISM;

    private EngineSettings() {
    }

    /** Sets PyTorch's intra-op thread pool size; it is global to the process, so the last session wins. */
    public static void intraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("runtime.intraOpThreads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    public static int intraOpThreads() {
        return JniUtils.getNumThreads();
    }

    /** Seeds PyTorch's global CPU generator, which weight init and dropout draw from. */
    public static void seed(long seed) {
        JniUtils.setSeed(seed);
    }

    /** The determinism variables that are missing or wrong in this process, as {@code NAME=value (want X)}. */
    public static List<String> determinismProblems() {
        List<String> problems = new ArrayList<>();
        DETERMINISM_ENV.forEach((name, wanted) -> {
            String actual = System.getenv(name);
            if (!wanted.equals(actual)) {
                problems.add(name + "=" + actual + " (want " + wanted + ")");
            }
        });
        return problems;
    }
}
