package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.stack.StackSettings;
import dev.savepoint.stack.TestSeed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real PyTorch script (examples/pytorch/train.py) under the hf-trainer preset, unchanged: killed twice through the
 * real services, resumed by Savepoint with its own --resume_from_checkpoint, it ends with the same parameters, bit for
 * bit, as an uninterrupted run of the same command. Needs a Python that imports torch (see {@link Python}).
 */
class PytorchResumeIT {

    static final int STEPS = 300;
    static final int SAVE_STEPS = 50;
    /** train.py's progress line; with --logging_steps 1 it says how far the trainer got before a kill. */
    static final Pattern PROGRESS = Pattern.compile("^step (\\d+) loss");

    @Test
    void pytorchScriptKilledTwiceEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
        String python = Python.withTorch();
        String script = StackSettings.repositoryRoot().resolve("examples/pytorch/train.py").toString();
        // 40 ms a step: about 12 s of training, so that both kills land before the end on any machine.
        List<String> command = List.of(python, script, "--output_dir", "{outputDir}", "--max_steps", "{maxSteps}",
                "--save_steps", String.valueOf(SAVE_STEPS), "--seed", "42", "--logging_steps", "1", "--step_delay", "0.04");
        Path twinOutput = CommandRuns.twinOutput("pytorch-");
        String twin = CommandRuns.finalHashOfDirectRun(command.stream().map(a -> a
                .replace("{outputDir}", twinOutput.toString()).replace("{maxSteps}", String.valueOf(STEPS))).toList());

        Cluster cluster = Cluster.get();
        CommandRuns runs = new CommandRuns(cluster);
        TestSeed seed = TestSeed.of("pytorchScriptKilledTwiceEndsWithTheWeightsOfAnUninterruptedRun");
        long t1 = System.nanoTime();
        // train.py writes trainer_state.json last: the marker that makes a checkpoint folder complete.
        String runId = cluster.client.submit(Specs.command("e2e-pytorch", STEPS, TrainerSpec.HF_TRAINER, command,
                "trainer_state.json", 5));
        // Kill 1: the whole attempt (supervisor and trainer, like a lost node) once a state past step 50-150 is in.
        long killAt1 = seed.between(1, 3) * SAVE_STEPS;
        long pid = cluster.awaitAttemptPast(runId, 1, killAt1);
        Path output1 = CommandRuns.outputDir(CommandRuns.trainer(pid, script));
        CommandRuns.killTree(pid);
        List<CommandRuns.Kill> kills = new ArrayList<>();
        kills.add(new CommandRuns.Kill(1, CommandRuns.lastLoggedStep(output1, PROGRESS)));
        System.out.printf("PytorchResumeIT: kill 1 (%s): attempt 1 and its trainer at step %d%n", seed, killAt1);
        // Kill 2: only the trainer, once the second attempt is one or two saves past its resume point.
        long resumed = runs.awaitResumedStart(runId, 2);
        long killAt2 = resumed + seed.between(1, 2) * SAVE_STEPS;
        long pid2 = cluster.awaitAttemptPast(runId, 2, Math.min(killAt2, STEPS - SAVE_STEPS));
        ProcessHandle trainer = CommandRuns.trainer(pid2, script);
        Path output2 = CommandRuns.outputDir(trainer);
        trainer.destroyForcibly();
        trainer.onExit().join();
        kills.add(new CommandRuns.Kill(2, CommandRuns.lastLoggedStep(output2, PROGRESS)));
        System.out.printf("PytorchResumeIT: kill 2 (%s): the trainer of attempt 2 (resumed at %d) past step %d%n",
                seed, resumed, Math.min(killAt2, STEPS - SAVE_STEPS));

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(5));
        RunStory story = RunStory.of(cluster, runId).print("PytorchResumeIT (" + seed + ")");
        System.out.printf("PytorchResumeIT: killed twice and resumed in %.1f s (submit to end)%n",
                (System.nanoTime() - t1) / 1e9);
        CommandRuns.printRecomputed("PytorchResumeIT", kills, cluster.client.attempts(runId));
        assertEquals("SUCCEEDED", run.path("state").asText(), run + " " + story);
        assertEquals(2, story.restarts(), story.toString());
        assertEquals(twin, run.path("finalParamsSha256").asText(), "the resumed run's weights differ from the "
                + "uninterrupted run's (" + seed + "): " + story);
        List<JsonNode> committed = runs.committed(runId);
        runs.assertEveryResumeFromNewestCommitted(runId, committed, story);
        CommandRuns.assertCumulativeSteps(committed, STEPS);
    }
}
