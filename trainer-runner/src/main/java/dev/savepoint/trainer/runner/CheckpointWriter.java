package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The background checkpoint writer: serializes and hashes a snapshot, uploads its files, the manifest last, then
 * emits {@code CheckpointWritten}. At most one snapshot waits; when the writer is behind, a new one is skipped and
 * counted, so training never blocks on storage.
 */
final class CheckpointWriter implements AutoCloseable {

    private final String runId;
    private final int attempt;
    private final CheckpointStorage storage;
    private final EventSink events;
    private final Function<Snapshot, TrainerStateFile> stateFile;
    private final long uploadPauseMillis;
    private final BlockingQueue<Snapshot> waiting = new ArrayBlockingQueue<>(1);
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean busy;
    private volatile boolean closed;

    CheckpointWriter(String runId, int attempt, CheckpointStorage storage, EventSink events,
            Function<Snapshot, TrainerStateFile> stateFile, long uploadPauseMillis) {
        this.runId = runId;
        this.attempt = attempt;
        this.storage = storage;
        this.events = events;
        this.stateFile = stateFile;
        this.uploadPauseMillis = uploadPauseMillis;
        this.thread = new Thread(this::loop, "checkpoint-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a snapshot unless one is already waiting; returns false (and counts a skip) when it is dropped. */
    boolean offer(Snapshot snapshot) {
        if (!waiting.offer(snapshot)) {
            skipped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Queues a snapshot that must be written (the final one), waiting for room. */
    void put(Snapshot snapshot) throws InterruptedException {
        waiting.put(snapshot);
    }

    /** Waits until nothing is waiting or being written; false if {@code timeout} passed first. */
    boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((busy || !waiting.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return !busy && waiting.isEmpty();
    }

    int written() {
        return written.get();
    }

    int skipped() {
        return skipped.get() + failed.get();
    }

    private void loop() {
        while (!closed) {
            try {
                Snapshot next = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                busy = true;
                try {
                    write(next);
                    written.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    System.err.println("savepoint: checkpoint at step " + next.state().globalStep()
                            + " not written: " + e.getMessage());
                } finally {
                    busy = false;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(Snapshot snapshot) throws IOException, InterruptedException {
        long step = snapshot.state().globalStep();
        String id = CheckpointManifest.checkpointId(runId, step, attempt);
        String prefix = CheckpointManifest.prefix(runId, step, attempt);
        Path spool = Files.createTempDirectory("savepoint-checkpoint-");
        try {
            TrainerStateFile state = stateFile.apply(snapshot);
            List<ManifestFile> files = List.of(
                    CheckpointFiles.tensors(spool, CheckpointFiles.MODEL, snapshot.parameters(),
                            Map.of("format", "pt", "run", runId, "step", Long.toString(step))),
                    CheckpointFiles.tensors(spool, CheckpointFiles.OPTIMIZER, snapshot.optimizerState(),
                            Map.of("optimizer", snapshot.state().optimizer())),
                    CheckpointFiles.json(spool, TrainerStateFile.FILE_NAME, state));
            for (ManifestFile f : files) {
                pauseForTests();
                storage.upload(prefix + f.name(), spool.resolve(f.name()));
            }
            pauseForTests();
            var manifest = new CheckpointManifest(0, id, runId, attempt, step, null, files);
            Files.write(spool.resolve(CheckpointManifest.FILE_NAME), Json.write(manifest));
            storage.upload(prefix + CheckpointManifest.FILE_NAME, spool.resolve(CheckpointManifest.FILE_NAME));
            events.send(Topics.CHECKPOINTS, CheckpointWritten.of(runId, attempt, id, step,
                    (int) snapshot.state().epoch(), snapshot.state().samplesSeen(), storage.bucket(), prefix,
                    files, state.metrics()));
        } finally {
            deleteRecursively(spool);
        }
    }

    /** Fault injection for tests: widens the window in which a checkpoint is half-uploaded. */
    private void pauseForTests() throws InterruptedException {
        if (uploadPauseMillis > 0) {
            Thread.sleep(uploadPauseMillis);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
