package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.FailureReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt reports success only with its final checkpoint in storage: an interrupted upload of it is retried, and
 * one that cannot be written fails the attempt. The attempt runs in this JVM so that the real S3 store can be hooked.
 */
class FinalCheckpointTest {

    static final int STEPS = 150;

    @TempDir
    Path dir;
    final String runId = "final-" + UUID.randomUUID();
    final String finalPrefix = CheckpointManifest.prefix(runId, STEPS, 1);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void interruptedUploadOfTheFinalCheckpointIsRetriedAndTheAttemptSucceedsWithIt() throws Exception {
        RunnerConfig config = RunnerConfig.from(AttemptProcess.env());
        HookedStorage storage = new HookedStorage(config);
        AtomicBoolean interrupted = new AtomicBoolean();
        storage.hook(key -> {
            if (key.startsWith(finalPrefix) && interrupted.compareAndSet(false, true)) {
                Thread.currentThread().interrupt(); // the real upload below fails with InterruptedException
            }
        });
        assertEquals(0, run(config, storage), output());
        assertTrue(interrupted.get(), "the final upload was never interrupted");

        StoredRun stored = new StoredRun(runId);
        List<CheckpointManifest> manifests = stored.manifests();
        CheckpointManifest latest = manifests.get(manifests.size() - 1);
        assertEquals(STEPS, latest.step(), "latest checkpoint in storage: " + stored.folders());
        assertEquals(List.of(CheckpointManifest.FILE_NAME, CheckpointFiles.MODEL, CheckpointFiles.OPTIMIZER,
                TrainerStateFile.FILE_NAME), stored.folders().get(finalPrefix)); // in key order
        AttemptSucceeded done = RunEvents.one(runId, AttemptSucceeded.class);
        assertEquals(STEPS, done.step());
        assertTrue(output().contains("final-params-sha256=" + done.finalParamsSha256()), output());
    }

    @Test
    void finalCheckpointThatCannotBeWrittenFailsTheAttemptInsteadOfReportingSuccess() throws Exception {
        Map<String, String> env = new HashMap<>(AttemptProcess.env());
        env.put("SAVEPOINT_CHECKPOINT_DEADLINE_MS", "500");
        env.put("SAVEPOINT_RETRY_MAX_MS", "100");
        RunnerConfig config = RunnerConfig.from(env);
        HookedStorage storage = new HookedStorage(config);
        storage.hook(key -> {
            if (key.startsWith(finalPrefix)) {
                throw new IOException("injected: the object store refuses " + key);
            }
        });
        assertEquals(AttemptExit.CRASHED.code(), run(config, storage), output());

        var events = RunEvents.until(Topics.RUNS, runId, AttemptFailed.class);
        assertEquals(List.of(), RunEvents.ofType(events, AttemptSucceeded.class));
        AttemptFailed failed = RunEvents.ofType(events, AttemptFailed.class).get(0);
        assertEquals(FailureReason.CRASHED, failed.reason());
        assertTrue(failed.message().contains("step " + STEPS) && failed.message().contains("injected"),
                failed.message());
        assertTrue(new StoredRun(runId).manifests().stream().noneMatch(m -> m.step() == STEPS));
    }

    private int run(RunnerConfig config, CheckpointStorage storage) throws IOException {
        Path spec = Specs.write(dir, "final", Specs.MLP_ADAMW, STEPS, 1);
        try (var events = new KafkaEventSink(config.kafkaClient(), null)) {
            return new AttemptRunner(new AttemptArgs(runId, 1, spec, null), config, events, storage,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        }
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
