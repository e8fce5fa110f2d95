package dev.savepoint.trainer.large;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoint.contracts.spec.DataRoots;
import dev.savepoint.contracts.spec.DataSpec;
import dev.savepoint.contracts.spec.ModelSpec;
import dev.savepoint.contracts.spec.OptimizerSpec;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.ScheduleSpec;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.SafetensorsReader;
import dev.savepoint.trainer.engine.SafetensorsWriter;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TextData;
import dev.savepoint.trainer.engine.TrainerState;
import dev.savepoint.trainer.engine.TrainingData;
import dev.savepoint.trainer.engine.TrainingSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One process of {@link LargeTransformerTest}: trains a transformer of the given size on the fortunes text and prints
 * {@code key=value} lines (step times, checkpoint, final hash, peak RSS). Modes: {@code train STEPS} (uninterrupted),
 * {@code checkpoint AT DIR} (writes a checkpoint at step AT, then trains on until killed), {@code resume DIR STEPS}.
 * Checkpoint files are cut into shards below 1 GiB, since one Java array holds at most 2 GiB.
 */
public final class LargeRun {

    static final long SHARD_BYTES = 1L << 30;
    /** Few tokens per step (batch 1 x 32 positions): the test is about state size, and the machine has 2 cores. */
    static final int SEQ_LEN = 32;
    static final int BATCH_SIZE = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LargeRun() {
    }

    public static void main(String[] args) throws Exception {
        RunSpec spec = spec(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        String mode = args[3];
        TrainingData data;
        try (InputStream in = TextData.open(textPath())) {
            data = TextData.read(in, spec.model().seqLen(), spec.data().seed());
        }
        long start = System.nanoTime();
        try (TrainingSession session = new TrainingSession(spec, data)) {
            System.out.println("parameters=" + spec.model().transformerParameters());
            System.out.println("build-seconds=" + seconds(start));
            switch (mode) {
                case "train" -> stepTo(session, Integer.parseInt(args[4]));
                case "checkpoint" -> {
                    stepTo(session, Integer.parseInt(args[4]));
                    long t = System.nanoTime();
                    write(session.snapshot(), Path.of(args[5]));
                    System.out.println("checkpoint-seconds=" + seconds(t));
                    System.out.println("peak-rss-bytes=" + peakRss());
                    System.out.println("checkpoint-written");
                    System.out.flush();
                    stepTo(session, Integer.MAX_VALUE); // until the test kills this process
                }
                case "resume" -> {
                    long t = System.nanoTime();
                    session.restore(read(Path.of(args[4])));
                    System.out.println("restore-seconds=" + seconds(t));
                    stepTo(session, Integer.parseInt(args[5]));
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
            System.out.println("final-params-sha256=" + session.finalParamsSha256());
            System.out.println("peak-rss-bytes=" + peakRss());
        }
    }

    static RunSpec spec(int layers, int dModel, int heads) {
        ModelSpec model = ModelSpec.transformer(layers, dModel, heads, SEQ_LEN);
        return new RunSpec("large-lm", 42L, 1_000_000, BATCH_SIZE, model, new DataSpec("text", null, null, 7L,
                textPath().toString(), null, null), new OptimizerSpec("adamw", 0.0003, 0.1, null, null, null, null),
                ScheduleSpec.constant(), null, null, null, new RuntimeSpec(2, null, null, "12Gi"));
    }

    /** Debian's fortunes when installed (CI installs them), else this module's sample text. */
    static Path textPath() {
        if (Files.isDirectory(DataRoots.FORTUNES)) {
            return DataRoots.FORTUNES;
        }
        return Path.of("src", "test", "resources", "text", "sample.txt");
    }

    private static void stepTo(TrainingSession session, int steps) {
        while (session.globalStep() < steps) {
            long t = System.nanoTime();
            float loss = session.step();
            System.out.println("step=" + session.globalStep() + " loss=" + loss + " step-seconds=" + seconds(t));
            System.out.flush();
        }
    }

    private static void write(Snapshot snapshot, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeShards(snapshot.parameters(), dir, "model");
        writeShards(snapshot.optimizerState(), dir, "optimizer");
        Files.write(dir.resolve("trainer_state.json"), JSON.writeValueAsBytes(snapshot.state()));
    }

    private static void writeShards(Map<String, HostTensor> tensors, Path dir, String prefix) throws IOException {
        int shard = 0;
        Map<String, HostTensor> current = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, HostTensor> e : new TreeMap<>(tensors).entrySet()) {
            if (bytes + e.getValue().data().length > SHARD_BYTES && !current.isEmpty()) {
                writeShard(current, dir.resolve(prefix + "-" + shard++ + ".safetensors"));
                current = new TreeMap<>();
                bytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            bytes += e.getValue().data().length;
        }
        writeShard(current, dir.resolve(prefix + "-" + shard + ".safetensors"));
    }

    private static void writeShard(Map<String, HostTensor> tensors, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsWriter.write(tensors, Map.of(), out);
        }
    }

    private static Snapshot read(Path dir) throws IOException {
        Map<String, HostTensor> parameters = new HashMap<>();
        Map<String, HostTensor> optimizer = new HashMap<>();
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        for (Path file : files) {
            var target = file.getFileName().toString().startsWith("model") ? parameters : optimizer;
            target.putAll(SafetensorsReader.read(Files.readAllBytes(file)).tensors());
        }
        TrainerState state = JSON.readValue(dir.resolve("trainer_state.json").toFile(), TrainerState.class);
        return new Snapshot(parameters, optimizer, state);
    }

    private static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e9);
    }

    /** The process's peak resident set (VmHWM), in bytes. */
    static long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
