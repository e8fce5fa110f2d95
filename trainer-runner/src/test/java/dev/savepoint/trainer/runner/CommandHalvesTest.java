package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.command.Substitutions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two halves a Kubernetes Job runs, here as processes sharing a work folder: {@code attempt restore} (the init
 * container) and {@code attempt watch} (the sidecar) around a trainer started the way the trainer container's wrapper
 * starts it (resume arguments appended, output to trainer.log, exit code to exit-code, a stop request honoured).
 */
class CommandHalvesTest {

    @TempDir
    Path dir;

    @Test
    void restoreAndWatchAroundAWrappedTrainerResumeAfterAKillAndStopAtMaxSteps() throws Exception {
        Path spec = CommandRuns.kohyaSpec(dir, "halves", 40, 1, List.of("--save_every_n_steps", "10",
                "--hang_in_save_at_step", "30"), Map.of());
        String runId = "cmd-halves-" + UUID.randomUUID();
        StoredRun stored = new StoredRun(runId);

        Path work1 = CommandRuns.work(dir, runId, 1);
        assertEquals(0, half(runId, 1, spec, "restore", null).awaitExit());
        assertEquals(List.of(), Files.readAllLines(work1.resolve("resume-args")), "a fresh start resumes nothing");
        AttemptProcess watch1 = half(runId, 1, spec, "watch", null);
        Process trainer1 = wrapped(spec, runId, 1, work1);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.manifests().size() == 2
                && Files.readString(work1.resolve("trainer.log")).contains("hanging mid-save"));
        trainer1.toHandle().destroyForcibly();
        trainer1.waitFor();
        Files.writeString(work1.resolve("exit-code"), trainer1.exitValue() + "\n"); // what the wrapper does
        assertEquals(0, watch1.awaitExit(), watch1.stderr());
        AttemptFailed killed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.KILLED, killed.reason(), killed.message());

        Path work2 = CommandRuns.work(dir, runId, 2);
        assertEquals(0, half(runId, 2, spec, "restore", "latest").awaitExit());
        Path stateDir = work2.resolve("resume/demo-step00000020-state");
        assertEquals(List.of("--resume", stateDir.toString()), Files.readAllLines(work2.resolve("resume-args")));
        assertTrue(Files.exists(stateDir.resolve("train_state.json")));
        assertTrue(Files.exists(work2.resolve("resume/demo-step00000020.safetensors")), "the weights beside it");
        AttemptProcess watch2 = half(runId, 2, spec, "watch", null);
        Process trainer2 = wrapped(spec, runId, 2, work2);
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(work2.resolve("stop")) || !trainer2.isAlive());
        trainer2.toHandle().destroy(); // the wrapper turns the stop request into SIGTERM
        trainer2.waitFor();
        Files.writeString(work2.resolve("exit-code"), trainer2.exitValue() + "\n");
        assertEquals(0, watch2.awaitExit(), watch2.stderr());

        AttemptStarted started = RunEvents.first(Topics.RUNS, runId, AttemptStarted.class, e -> e.attempt() == 2);
        assertEquals(20L, started.resumedFromStep());
        AttemptSucceeded succeeded = RunEvents.first(Topics.RUNS, runId, AttemptSucceeded.class, e -> true);
        assertEquals(40, succeeded.step());
        assertEquals(List.of(10L, 20L, 30L, 40L), stored.manifests().stream().map(CheckpointManifest::step).sorted()
                .toList());
    }

    private AttemptProcess half(String runId, int attempt, Path spec, String half, String resumeFrom)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(half, "--run", runId, "--attempt", Integer.toString(attempt),
                "--spec", spec.toString(), "--work", CommandRuns.work(dir, runId, attempt).toString()));
        if (resumeFrom != null) {
            args.addAll(List.of("--resume-from", resumeFrom));
        }
        return AttemptProcess.startArgs(dir, runId + "-" + half, attempt, args);
    }

    /** The trainer as its container's wrapper runs it: the command, then the lines of resume-args. */
    private static Process wrapped(Path spec, String runId, int attempt, Path work) throws IOException {
        RunSpec run = Json.spec(Files.readAllBytes(spec));
        List<String> argv = new ArrayList<>(Substitutions.apply(run.trainer().command(), Map.of("outputDir",
                work.resolve("output").toString(), "maxSteps", Integer.toString(run.maxSteps()), "runId", runId,
                "attempt", Integer.toString(attempt))));
        argv.addAll(Files.readAllLines(work.resolve("resume-args")));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("trainer.log").toFile())
                .start();
    }
}
