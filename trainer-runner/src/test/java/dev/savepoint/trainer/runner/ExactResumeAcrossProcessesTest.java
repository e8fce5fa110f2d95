package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.stack.TestSeed;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.stack.TestSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Attempts SIGKILLed at random points and resumed in new processes end with the bits of an uninterrupted run. */
class ExactResumeAcrossProcessesTest {

    static final int STEPS = 600;

    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("mlp-adamw", Specs.MLP_ADAMW), Arguments.of("cnn-sgd", Specs.CNN_SGD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void resumedRunMatchesUninterruptedRunBitForBit(String name, String model) throws Exception {
        Path spec = Specs.write(dir, name, model, STEPS, 1);
        String hashA = uninterrupted(name, spec);

        TestSeed seed = TestSeed.of("resumedRunMatchesUninterruptedRunBitForBit[" + name + "]");
        long killStep = seed.between(101, STEPS); // after the first checkpoint, before the end
        String runB = name + "-" + UUID.randomUUID();
        Holds holds = new Holds(dir.resolve("holds-" + runB));
        AttemptProcess first = AttemptProcess.start(dir, runB, 1, spec, null, holds.at(killStep));
        StoredRun stored = new StoredRun(runB);
        first.awaitHeldAt(killStep);
        await().atMost(Duration.ofSeconds(90)).until(() -> !stored.manifests().isEmpty());
        first.kill();

        AttemptProcess second = AttemptProcess.start(dir, runB, 2, spec, "latest", Map.of());
        assertEquals(0, second.awaitExit(), seed + "\n" + second.stderr());
        assertEquals(hashA, second.finalHash(), "killed at step " + killStep + ", " + seed);
        AttemptStarted resumed = RunEvents.await(Topics.RUNS, runB, AttemptStarted.class, 2)
                .stream().filter(e -> e.attempt() == 2).findFirst().orElseThrow();
        assertTrue(resumed.resumedFromStep() != null && resumed.resumedFromStep() > 0, "attempt 2 did not resume");
    }

    @Test
    void killDuringCheckpointUploadNeverUsesTheHalfWrittenCheckpoint() throws Exception {
        Path spec = Specs.write(dir, "upload-kill", Specs.MLP_ADAMW, STEPS, 1);
        String hashA = uninterrupted("upload-kill", spec);

        String runB = "upload-kill-" + UUID.randomUUID();
        // After one complete checkpoint the writer stops before the next manifest: a folder with files but no
        // manifest stays so until the kill, on a machine of any speed.
        Path holdDir = Files.createDirectories(dir.resolve("holds-" + runB));
        AttemptProcess first = AttemptProcess.start(dir, runB, 1, spec, null, Map.of(
                "SAVEPOINT_TEST_HOLD_DIR", holdDir.toString(), "SAVEPOINT_TEST_HOLD_MANIFEST_AFTER", "1"));
        StoredRun stored = new StoredRun(runB);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> stored.manifests().size() == 1 && stored.folders().size() == 2
                        && stored.folders().lastEntry().getValue().size() == 3);
        first.kill();
        var halfWritten = stored.folders().entrySet().stream()
                .filter(e -> !e.getValue().contains(CheckpointManifest.FILE_NAME)).map(Map.Entry::getKey).toList();
        assertEquals(1, halfWritten.size(), "expected one half-written checkpoint: " + stored.folders());
        long newestComplete = stored.manifests().stream().mapToLong(CheckpointManifest::step).max().orElseThrow();

        AttemptProcess second = AttemptProcess.start(dir, runB, 2, spec, "latest", Map.of());
        assertEquals(0, second.awaitExit(), second.stderr());
        assertEquals(hashA, second.finalHash());
        assertTrue(second.stdout().contains("at step " + newestComplete), second.stdout());
    }

    @Test
    void resumingWithAnotherThreadCountGivesTheSameBits() throws Exception {
        Path oneThread = Specs.write(dir, "threads", Specs.MLP_ADAMW, STEPS, 1);
        Path twoThreads = Specs.write(dir, "threads", Specs.MLP_ADAMW, STEPS, 2);
        String hashA = uninterrupted("threads", oneThread);

        String runB = "threads-" + UUID.randomUUID();
        Holds holds = new Holds(dir.resolve("holds-" + runB));
        AttemptProcess first = AttemptProcess.start(dir, runB, 1, oneThread, null, holds.at(350));
        StoredRun stored = new StoredRun(runB);
        first.awaitHeldAt(350);
        await().atMost(Duration.ofSeconds(90)).until(() -> !stored.manifests().isEmpty());
        first.kill();
        AttemptProcess second = AttemptProcess.start(dir, runB, 2, twoThreads, "latest", Map.of());
        assertEquals(0, second.awaitExit(), second.stderr());
        assertTrue(second.stdout().contains("resuming from checkpoint"), second.stdout());
        assertEquals(hashA, second.finalHash());
    }

    @Test
    void afterResumeStepLearningRateAndSamplesSeenMatchTheUninterruptedRun() throws Exception {
        // Every checkpoint is kept by retention, so none is skipped: both runs have one at each 100 steps.
        Path spec = Specs.write(dir, "counters", Specs.MLP_ADAMW, STEPS, 1, Specs.EVERY_100_KEPT);
        String runA = "counters-a-" + UUID.randomUUID();
        AttemptProcess a = AttemptProcess.start(dir, runA, 1, spec, null, Map.of());
        assertEquals(0, a.awaitExit(), a.stderr());

        String runB = "counters-b-" + UUID.randomUUID();
        Holds holds = new Holds(dir.resolve("holds-" + runB));
        AttemptProcess first = AttemptProcess.start(dir, runB, 1, spec, null, holds.at(250));
        StoredRun storedB = new StoredRun(runB);
        first.awaitHeldAt(250);
        await().atMost(Duration.ofSeconds(90)).until(() -> storedB.manifests().size() == 2);
        first.kill();
        AttemptProcess second = AttemptProcess.start(dir, runB, 2, spec, "latest", Map.of());
        assertEquals(0, second.awaitExit(), second.stderr());
        assertTrue(second.stdout().contains("at step 200"), second.stdout());

        List<Long> writtenAfterResume = storedB.manifests().stream().filter(m -> m.attempt() == 2)
                .map(CheckpointManifest::step).toList();
        assertEquals(List.of(300L, 400L, 500L, 600L), writtenAfterResume);
        for (long step : writtenAfterResume) {
            var stateA = trainerState(new StoredRun(runA), CheckpointManifest.prefix(runA, step, 1));
            var stateB = trainerState(storedB, CheckpointManifest.prefix(runB, step, 2));
            assertEquals(stateA.trainer(), stateB.trainer(), "trainer state at step " + step);
            assertEquals(step * 64, stateB.trainer().samplesSeen());
        }
        List<AttemptSucceeded> done = RunEvents.await(Topics.RUNS, runB, AttemptSucceeded.class, 1);
        assertEquals(STEPS, done.get(0).step());
    }

    private String uninterrupted(String name, Path spec) throws Exception {
        AttemptProcess a = AttemptProcess.start(dir, name + "-a-" + UUID.randomUUID(), 1, spec, null, Map.of());
        assertEquals(0, a.awaitExit(), a.stderr());
        return a.finalHash();
    }

    private static TrainerStateFile trainerState(StoredRun run, String prefix) {
        return Json.read(run.read(prefix + TrainerStateFile.FILE_NAME), TrainerStateFile.class);
    }
}
