package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.stack.StackSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * maxSteps is the run's goal even when the trainer would train longer (its own step limit is higher, or, like
 * sd-scripts after a resume, its counter started at 0 again): states it saves past maxSteps are not checkpoints of
 * the run, and the final weights are those at maxSteps, the same as a trainer that stops there by itself.
 */
class CommandRunGoalIT {

    static final int STEPS = 40;
    static final int SAVE_EVERY = 10;

    @Test
    void statesSavedPastMaxStepsAreNotCommittedAndTheFinalWeightsAreThoseAtMaxSteps() throws Exception {
        String python = Python.any();
        String script = StackSettings.repositoryRoot().resolve(FakeSdScripts.SCRIPT).toString();
        String twin = CommandRuns.finalHashOfDirectRun(List.of(python, script, "--output_dir",
                CommandRuns.twinOutput("fake-sd-scripts-goal-").toString(), "--output_name", FakeSdScripts.NAME,
                "--max_train_steps", String.valueOf(STEPS), "--save_every_n_steps", String.valueOf(SAVE_EVERY),
                "--step_seconds", "0"));
        Cluster cluster = Cluster.get();
        CommandRuns runs = new CommandRuns(cluster);
        // The trainer's own limit is five times the run's: it keeps saving (every 10 steps, 20 ms a step) while
        // Savepoint waits for the state at maxSteps to settle, then stops it.
        String runId = cluster.client.submit(Specs.command("e2e-past-goal", STEPS, TrainerSpec.KOHYA, List.of(python,
                script, "--output_dir", "{outputDir}", "--output_name", FakeSdScripts.NAME, "--max_train_steps",
                String.valueOf(5 * STEPS), "--save_every_n_steps", String.valueOf(SAVE_EVERY), "--step_seconds",
                "0.02"), null, 0));

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(3));
        RunStory story = RunStory.of(cluster, runId).print("CommandRunGoalIT");
        assertEquals("SUCCEEDED", run.path("state").asText(), run + " " + story);
        List<JsonNode> committed = runs.committed(runId);
        committed.forEach(c -> FakeSdScripts.assertCompleteState(runs, c));
        CommandRuns.assertCumulativeSteps(committed, STEPS);
        assertEquals(twin, run.path("finalParamsSha256").asText(), "the final weights are not those at maxSteps: "
                + story);
    }
}
