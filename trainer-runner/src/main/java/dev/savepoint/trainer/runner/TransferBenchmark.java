package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.SafetensorsWriter;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TrainerState;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Benchmark, not a test: persist (a snapshot streamed, sharded, hashed and uploaded up to its manifest) against a raw
 * multipart PUT of the same files to the same server by the stock client, and restore (parallel ranged GETs into
 * tensors, hash verified) against a raw GET of the same objects. Best of {@code rounds}, alternated in one JVM, so
 * that the ratios compare runs under the same load. For the bench module: {@link #run}; by hand: {@link #main}
 * ({@code [parameters] [rounds]}, environment as an attempt's).
 */
public final class TransferBenchmark {

    /** Throughputs in bytes per second, and Savepoint's against the baseline (1.0 = as fast as the raw client). */
    public record Result(long bytes, double persistBytesPerSecond, double rawPutBytesPerSecond,
            double restoreBytesPerSecond, double rawGetBytesPerSecond) {

        public double persistRatio() {
            return persistBytesPerSecond / rawPutBytesPerSecond;
        }

        public double restoreRatio() {
            return restoreBytesPerSecond / rawGetBytesPerSecond;
        }
    }

    private TransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long parameters = args.length > 0 ? Long.parseLong(args[0]) : 25_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result r = run(RunnerConfig.fromEnvironment(), parameters, rounds);
        System.out.printf("checkpoint of %d parameters, %.1f MiB over all files (%s)%n", parameters,
                r.bytes() / 1048576.0, RunnerConfig.fromEnvironment().transfer());
        System.out.printf("persist %.1f MiB/s vs raw multipart PUT %.1f MiB/s: ratio %.3f%n",
                r.persistBytesPerSecond() / 1048576, r.rawPutBytesPerSecond() / 1048576, r.persistRatio());
        System.out.printf("restore %.1f MiB/s vs raw GET %.1f MiB/s: ratio %.3f%n",
                r.restoreBytesPerSecond() / 1048576, r.rawGetBytesPerSecond() / 1048576, r.restoreRatio());
    }

    /** Persists and restores a checkpoint of {@code parameters} float parameters (plus AdamW's two moments). */
    public static Result run(RunnerConfig config, long parameters, int rounds) throws Exception {
        CheckpointStorage storage = new CheckpointStorage(config);
        MinioClient raw = MinioClient.builder().endpoint(config.s3Endpoint())
                .credentials(config.s3AccessKey(), config.s3SecretKey()).build();
        Snapshot snapshot = snapshot(parameters);
        String runId = "bench-transfer-" + UUID.randomUUID();
        long best = Long.MAX_VALUE;
        long bestRawPut = Long.MAX_VALUE;
        long bestRestore = Long.MAX_VALUE;
        long bestRawGet = Long.MAX_VALUE;
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            long step = round + 1L;
            Snapshot s = new Snapshot(snapshot.parameters(), snapshot.optimizerState(), state(step));
            long t0 = System.nanoTime();
            new CheckpointUpload(runId, 1, storage, NO_EVENTS, TransferBenchmark::stateFile, TestFaults.none())
                    .write(s);
            best = Math.min(best, System.nanoTime() - t0);
            CheckpointManifest manifest = dev.savepoint.contracts.Json.read(storage.read(
                    CheckpointManifest.prefix(runId, step, 1) + CheckpointManifest.FILE_NAME), CheckpointManifest.class);
            bytes = manifest.totalBytes();

            String rawPrefix = "runs/" + runId + "/raw/" + step + "/";
            t0 = System.nanoTime();
            rawPut(raw, config.bucket(), rawPrefix, s, config.transfer().partSize());
            bestRawPut = Math.min(bestRawPut, System.nanoTime() - t0);

            t0 = System.nanoTime();
            RestoredSnapshot.from(storage).restore(manifest);
            bestRestore = Math.min(bestRestore, System.nanoTime() - t0);

            t0 = System.nanoTime();
            rawGet(raw, config.bucket(), CheckpointManifest.prefix(runId, step, 1), manifest.files());
            bestRawGet = Math.min(bestRawGet, System.nanoTime() - t0);
        }
        return new Result(bytes, perSecond(bytes, best), perSecond(bytes, bestRawPut), perSecond(bytes, bestRestore),
                perSecond(bytes, bestRawGet));
    }

    /** The same tensor files, one stock-client PUT each (multipart of the part size above it), no hash, no shards. */
    private static void rawPut(MinioClient raw, String bucket, String prefix, Snapshot s, long partSize)
            throws Exception {
        for (Map<String, HostTensor> tensors : List.of(s.parameters(), s.optimizerState())) {
            var file = SafetensorsWriter.serialize(tensors, Map.of());
            raw.putObject(PutObjectArgs.builder().bucket(bucket).object(prefix + UUID.randomUUID())
                    .stream(file.bytes(), file.size(), partSize).build());
        }
    }

    private static void rawGet(MinioClient raw, String bucket, String prefix, List<ManifestFile> files)
            throws Exception {
        for (ManifestFile f : files) {
            try (InputStream in = raw.getObject(GetObjectArgs.builder().bucket(bucket).object(prefix + f.name())
                    .build())) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    private static Snapshot snapshot(long parameters) {
        int perTensor = 1 << 20; // 1M floats (4 MiB) per tensor, as a transformer's larger matrices
        Random random = new Random(1);
        Map<String, HostTensor> model = new HashMap<>();
        Map<String, HostTensor> optimizer = new HashMap<>();
        for (long done = 0, i = 0; done < parameters; done += perTensor, i++) {
            int n = (int) Math.min(perTensor, parameters - done);
            String name = String.format("layer%05d.weight", i);
            model.put(name, floats(random, n));
            optimizer.put(name + ".m", floats(random, n));
            optimizer.put(name + ".v", floats(random, n));
        }
        return new Snapshot(model, optimizer, state(0));
    }

    private static HostTensor floats(Random random, int n) {
        byte[] data = new byte[n * 4];
        random.nextBytes(data);
        for (int i = 3; i < data.length; i += 4) {
            data[i] &= 0x3f; // finite floats
        }
        return new HostTensor(dev.savepoint.trainer.engine.DType.F32, new long[] {n}, data);
    }

    private static TrainerState state(long step) {
        return new TrainerState(step, 0, step, 0.001, 1.0, 1, 1, step, 1, "adamw", 1);
    }

    private static TrainerStateFile stateFile(Snapshot s) {
        long step = s.state().globalStep();
        return new TrainerStateFile(TrainerStateFile.FORMAT_VERSION, "bench", 1, "bench-" + step,
                java.time.Instant.now(), s.state(), "0".repeat(64), null, 0.001, Map.of(), null, Map.of());
    }

    private static double perSecond(long bytes, long nanos) {
        return bytes / (nanos / 1e9);
    }

    private static final EventSink NO_EVENTS = new EventSink() {
        @Override
        public void send(String topic, SavepointEvent event) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
}
