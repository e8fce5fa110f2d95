package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.DataSources;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (run with {@code mvn -pl trainer-runner test -Dgroups=benchmark -Dbenchmarks.excluded=none}): steps/s
 * of the demo MLP with a checkpoint every 100 steps to the real S3 server against checkpointing off, alternated in
 * one JVM; and the time the training thread blocks per checkpoint against a plain copy of the same bytes.
 */
@Tag("benchmark")
class CheckpointOverheadBenchmark {

    static final int STEPS = 2000;
    static final int ROUNDS = 7;

    @TempDir
    Path dir;

    @Test
    void checkpointOverheadAgainstNoCheckpoints() throws Exception {
        RunSpec spec = Json.spec(Files.readAllBytes(Specs.write(dir, "bench", Specs.MLP_ADAMW, 1_000_000, 1)));
        RunnerConfig config = RunnerConfig.from(AttemptProcess.env());
        CheckpointStorage storage = new CheckpointStorage(config);
        List<Double> ratios = new ArrayList<>();
        try (var events = new KafkaEventSink(config.kafkaClient(), null);
                var session = new TrainingSession(spec, DataSources.fromSpec(spec.data(), spec.model(), null))) {
            var args = new AttemptArgs("bench-" + System.nanoTime(), 1, Path.of("bench.json"), null);
            var upload = new CheckpointUpload(args.runId(), 1, storage, events, new StateFiles(args, spec)::of,
                    TestFaults.none());
            try (var writer = new CheckpointWriter(upload, config.retry(), null, System.err)) {
                steps(session, 500, null); // warm-up of the training path
                steps(session, 500, writer); // and of the writer's (class loading, JIT of the S3 client)
                writer.drain(Duration.ofMinutes(1));
                for (int round = 0; round < ROUNDS; round++) {
                    double off = steps(session, STEPS, null);
                    double on = steps(session, STEPS, writer);
                    writer.drain(Duration.ofMinutes(1));
                    ratios.add(on / off);
                    System.out.printf("round %d: %.0f steps/s without checkpoints, %.0f with one every 100 (%.1f%%)%n",
                            round, off, on, 100 * on / off);
                }
                System.out.printf("checkpoints written %d, skipped %d%n", writer.written(), writer.skipped());
            }
            System.out.printf("median throughput with checkpoints: %.1f%% of without (target >= 97%%)%n",
                    100 * median(ratios));
            blockingTime(session);
        }
    }

    private static double steps(TrainingSession session, int n, CheckpointWriter writer) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            session.step();
            if (writer != null && session.globalStep() % 100 == 0) {
                writer.offer(session.snapshot());
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void blockingTime(TrainingSession session) {
        Snapshot s = session.snapshot();
        long bytes = 0;
        for (HostTensor t : s.parameters().values()) {
            bytes += t.data().length;
        }
        for (HostTensor t : s.optimizerState().values()) {
            bytes += t.data().length;
        }
        byte[] plain = new byte[(int) bytes];
        double[] snap = new double[50];
        double[] copy = new double[50];
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            session.snapshot();
            snap[i] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            plain.clone();
            copy[i] = (System.nanoTime() - t0) / 1e6;
        }
        double snapMs = median(Arrays.stream(snap).boxed().toList());
        double copyMs = median(Arrays.stream(copy).boxed().toList());
        System.out.printf("training thread blocks %.3f ms per checkpoint (snapshot of %d bytes); plain byte[] copy "
                + "%.3f ms; ratio %.1fx%n", snapMs, bytes, copyMs, snapMs / copyMs);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
