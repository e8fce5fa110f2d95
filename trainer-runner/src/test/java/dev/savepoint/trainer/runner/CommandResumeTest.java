package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command run whose trainer is SIGKILLed in the middle of a save resumes from its newest complete state, never from
 * the half-written one; the fake sd-scripts trainer starts its counter at 0 again after the resume, and the run's
 * steps still add up to maxSteps, ending with the weights of an uninterrupted run.
 */
class CommandResumeTest {

    @TempDir
    Path dir;

    @Test
    void trainerKilledMidSaveResumesFromNewestCompleteStateWithCumulativeSteps() throws Exception {
        // The save at step 30 never finishes (a file that keeps growing), so the kill surely lands mid-save.
        Path spec = CommandRuns.kohyaSpec(dir, "resume", 40, 1, List.of("--save_every_n_steps", "10",
                "--hang_in_save_at_step", "30"), Map.of());
        String runId = "cmd-resume-" + UUID.randomUUID();
        StoredRun stored = new StoredRun(runId);
        AttemptProcess first = CommandRuns.start(dir, runId, 1, spec, null);
        Path work1 = CommandRuns.work(dir, runId, 1);
        long trainer = CommandRuns.trainerPid(work1);
        await().atMost(Duration.ofMinutes(2)).until(() -> stored.manifests().stream().anyMatch(m -> m.step() == 20)
                && Files.readString(work1.resolve("trainer.log")).contains("hanging mid-save"));
        ProcessHandle.of(trainer).orElseThrow().destroyForcibly(); // SIGKILL to the trainer, not to the attempt
        assertEquals(AttemptExit.CRASHED.code(), first.awaitExit(), first.stderr());
        AttemptFailed killed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.KILLED, killed.reason(), killed.message());
        assertEquals(137, killed.exitCode());
        assertTrue(Files.exists(work1.resolve("output/demo-step00000030-state/train_state.json")),
                "the half-written state is there on disk");
        assertFalse(Files.exists(work1.resolve("output/demo-step00000030.safetensors")));
        assertEquals(List.of(10L, 20L), steps(stored), "the half-written state at step 30 was never uploaded");

        AttemptProcess second = CommandRuns.start(dir, runId, 2, spec, "latest");
        assertEquals(0, second.awaitExit(), second.stderr());
        AttemptStarted resumed = RunEvents.first(Topics.RUNS, runId, AttemptStarted.class, e -> e.attempt() == 2);
        assertEquals(20L, resumed.resumedFromStep(), "resumed from the newest complete state");
        assertTrue(second.stdout().contains("resumed from " + CommandRuns.work(dir, runId, 2)
                .resolve("resume/demo-step00000020-state")), second.stdout());
        AttemptSucceeded succeeded = RunEvents.first(Topics.RUNS, runId, AttemptSucceeded.class, e -> true);
        assertEquals(40, succeeded.step());

        List<CheckpointManifest> manifests = stored.manifests().stream()
                .sorted(Comparator.comparingLong(CheckpointManifest::step)).toList();
        assertEquals(List.of(10L, 20L, 30L, 40L), manifests.stream().map(CheckpointManifest::step).toList(),
                "cumulative steps whatever the trainer's counter said");
        CheckpointManifest at40 = manifests.get(3);
        assertEquals(2, at40.attempt());
        assertEquals("demo-step00000020-state", at40.layout().stateDir(), "the trainer's own counter said 20");
        assertEquals(20L, at40.layout().counter());
        assertEquals(uninterruptedHash(40), succeeded.finalParamsSha256(),
                "the weights after 40 steps in all equal an uninterrupted run's");
    }

    private static List<Long> steps(StoredRun stored) {
        return stored.manifests().stream().map(CheckpointManifest::step).sorted().toList();
    }

    /** The hash the fake trainer prints after {@code steps} steps without a stop. */
    private String uninterruptedHash(int steps) throws Exception {
        Process p = new ProcessBuilder(CommandRuns.PYTHON, CommandRuns.FAKE_TRAINER.toString(), "--output_dir",
                dir.resolve("uninterrupted").toString(), "--max_train_steps", Integer.toString(steps),
                "--save_every_n_steps", "10", "--step_seconds", "0").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("final-params-sha256=")).findFirst().orElseThrow()
                .substring("final-params-sha256=".length());
    }
}
