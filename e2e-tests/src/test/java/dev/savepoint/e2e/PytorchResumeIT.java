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
import java.util.function.LongUnaryOperator;
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
        // 20 ms a step, so that the test sees the trainer's log reach a kill point before it has gone far past it.
        List<String> command = List.of(python, script, "--output_dir", "{outputDir}", "--max_steps", "{maxSteps}",
                "--save_steps", String.valueOf(SAVE_STEPS), "--seed", "42", "--logging_steps", "1", "--step_delay",
                "0.02");
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
        // Kill 1: the whole attempt (supervisor and trainer, like a lost node), 5-35 steps past its save at step
        // 50 or 100, once the catalog has that save: the trainer is frozen at the chosen step while the test waits.
        // train.py's counter is cumulative (it continues from the state it resumed).
        LongUnaryOperator newestSave = at -> at / SAVE_STEPS * SAVE_STEPS;
        List<CommandRuns.Kill> kills = new ArrayList<>();
        kills.add(runs.killFrozen(runId, 1, script, PROGRESS, seed.between(1, 2) * SAVE_STEPS + seed.between(5, 35),
                newestSave, at -> at, true));
        System.out.printf("PytorchResumeIT: kill 1 (%s): attempt 1 with its trainer at step %d, after the commit of "
                + "step %d%n", seed, kills.get(0).trainerStep(), kills.get(0).committed());
        // Kill 2: the trainer alone, 5-35 steps past the second attempt's first save.
        long resumed = runs.awaitResumedStart(runId, 2);
        kills.add(runs.killFrozen(runId, 2, script, PROGRESS, resumed + SAVE_STEPS + seed.between(5, 35), newestSave,
                at -> at, false));
        System.out.printf("PytorchResumeIT: kill 2 (%s): the trainer of attempt 2 at step %d, after the commit of "
                + "step %d%n", seed, kills.get(1).trainerStep(), kills.get(1).committed());

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
        CommandRuns.assertResumedFromTheKillsSaves(kills, cluster.client.attempts(runId), story);
    }
}
