package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.Snapshot;
import dev.savepoint.trainer.engine.TrainerState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against the real S3 server, with uploads stalled, interrupted or failed by key: drain never returns
 * early, a newer snapshot replaces the waiting one, must-write checkpoints are never skipped and are retried.
 */
class CheckpointWriterTest {

    static final Duration LONG = Duration.ofMinutes(3);

    @TempDir
    Path dir;
    final String runId = "writer-" + UUID.randomUUID();
    final RunnerConfig config = RunnerConfig.from(AttemptProcess.env());
    final HookedStorage storage = new HookedStorage(config);
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    KafkaEventSink events;
    StateFiles stateFiles;

    @BeforeEach
    void setUp() throws IOException {
        events = new KafkaEventSink(config.kafkaClient(), null);
        RunSpec spec = Json.spec(Files.readAllBytes(Specs.write(dir, "writer", Specs.MLP_ADAMW, 100, 1)));
        stateFiles = new StateFiles(new AttemptArgs(runId, 1, dir.resolve("spec.json"), null), spec);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        events.close();
    }

    @Test
    void drainNeverReturnsWhileTheWriterHoldsASnapshotBetweenQueueAndStorage() throws Exception {
        // The writer has taken the snapshot off the queue and nothing is in storage yet: the old race window.
        try (var writer = writer(config.retry(), snapshot -> {
            entered.countDown();
            awaitUninterruptibly(release);
            return stateFiles.of(snapshot);
        })) {
            writer.put(snapshot(100));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS));
            var drained = CompletableFuture.runAsync(() -> drain(writer));
            assertThrows(CheckpointWriteException.class, () -> writer.drain(Duration.ZERO));
            assertFalse(drained.isDone(), "drain returned while the final checkpoint was not written");
            release.countDown();
            drained.get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(100L), manifestSteps());
            assertEquals(100, writer.durable().step());
        }
    }

    @Test
    void aNewerSnapshotReplacesTheWaitingOneAndEachSkipIsLoggedAndCounted() throws Exception {
        storage.hook(stallUploadsOf(10));
        try (var writer = writer(config.retry(), stateFiles::of)) {
            writer.offer(snapshot(10));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS));
            for (long step : new long[] {20, 30, 40}) {
                assertTrue(writer.offer(snapshot(step)));
            }
            assertEquals(2, writer.skipped());
            release.countDown();
            writer.drain(LONG);
            assertEquals(List.of(10L, 40L), manifestSteps());
            assertEquals(2, writer.written());
        }
        assertTrue(log().contains("checkpoint at step 20 skipped: replaced by the newer checkpoint at step 30"), log());
        assertTrue(log().contains("checkpoint at step 30 skipped: replaced by the newer checkpoint at step 40"), log());
    }

    @Test
    void mustWriteCheckpointsAreNeverReplacedAndTheLoopWaitsForRoom() throws Exception {
        storage.hook(stallUploadsOf(10));
        try (var writer = writer(config.retry(), stateFiles::of)) {
            writer.offer(snapshot(10));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS));
            writer.put(snapshot(20)); // kept by retention: waits while 10 is written
            assertFalse(writer.offer(snapshot(30)), "a skippable snapshot replaced a must-write one");
            var put40 = CompletableFuture.runAsync(() -> put(writer, snapshot(40)));
            assertFalse(put40.isDone(), "the second must-write snapshot found room while the first still waited");
            release.countDown();
            put40.get(LONG.toSeconds(), TimeUnit.SECONDS);
            writer.drain(LONG);
            assertEquals(List.of(10L, 20L, 40L), manifestSteps());
            assertEquals(1, writer.skipped());
        }
        assertTrue(log().contains("checkpoint at step 30 skipped: the checkpoint at step 20, which must be written"),
                log());
    }

    @Test
    void interruptedUploadOfAMustWriteCheckpointIsRetriedUntilWritten() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        storage.hook(key -> {
            if (key.startsWith(CheckpointManifest.prefix(runId, 50, 1)) && interrupted.compareAndSet(false, true)) {
                Thread.currentThread().interrupt(); // the real client call below then fails as in the field
            }
        });
        try (var writer = writer(config.retry(), stateFiles::of)) {
            writer.put(snapshot(50));
            writer.drain(LONG);
            assertEquals(List.of(50L), manifestSteps());
            assertEquals(1, writer.written());
        }
        assertTrue(interrupted.get());
        assertTrue(log().contains("checkpoint at step 50 not written (try 1)"), log());
        assertTrue(log().contains("InterruptedException"), log());
        assertTrue(log().contains("checkpoint at step 50 written after 1 failed tries"), log());
    }

    @Test
    void mustWriteCheckpointThatKeepsFailingPastItsDeadlineFailsTheDrainNamingStepAndError() throws Exception {
        storage.hook(key -> {
            throw new IOException("injected: the object store refuses " + key);
        });
        var shortDeadline = new RetryPolicy(2_000, 1_000, 300, 20, 100);
        try (var writer = writer(shortDeadline, stateFiles::of)) {
            writer.put(snapshot(60));
            var e = assertThrows(CheckpointWriteException.class, () -> writer.drain(LONG));
            assertTrue(e.getMessage().contains("step 60") && e.getMessage().contains("injected"), e.getMessage());
            assertThrows(CheckpointWriteException.class, writer::throwIfFailed);
        }
        assertEquals(List.of(), manifestSteps());
    }

    private CheckpointWriter writer(RetryPolicy retry, Function<Snapshot, TrainerStateFile> stateFile) {
        var upload = new CheckpointUpload(runId, 1, storage, events, stateFile, TestFaults.none());
        return new CheckpointWriter(upload, retry, null, log);
    }

    private HookedStorage.Hook stallUploadsOf(long step) {
        String prefix = CheckpointManifest.prefix(runId, step, 1);
        return key -> {
            if (key.startsWith(prefix)) {
                entered.countDown();
                release.await();
            }
        };
    }

    private static Snapshot snapshot(long step) {
        var w = HostTensor.ofFloats(new long[] {2}, new float[] {step, -step});
        var state = new TrainerState(step, 0, step * 4, 0.01, 0.5, 42, 7, step * 4, 4, "sgd", 1);
        return new Snapshot(Map.of("w", w), Map.of("w.momentum", w), state);
    }

    private List<Long> manifestSteps() {
        return new StoredRun(runId).manifests().stream().map(CheckpointManifest::step).toList();
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static void drain(CheckpointWriter writer) {
        try {
            writer.drain(LONG);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(CheckpointWriter writer, Snapshot snapshot) {
        try {
            writer.put(snapshot);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
