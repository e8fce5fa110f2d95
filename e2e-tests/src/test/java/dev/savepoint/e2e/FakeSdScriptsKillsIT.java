package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.stack.StackSettings;
import dev.savepoint.stack.TestSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fake sd-scripts trainer (examples/testing/fake_sd_scripts.py: state folders written file by file, its step
 * counter back at 0 after --resume) under the kohya preset, SIGKILLed twice through the real services: once in the
 * middle of a save, once between saves with its whole attempt. The run ends SUCCEEDED at maxSteps, every relaunch
 * resumed from the newest complete state, the half-written folder was never committed, and the catalog counts steps
 * across resumes although the trainer's counter restarted.
 */
class FakeSdScriptsKillsIT {

    static final int SAVE_EVERY = 10;
    /** The fake trainer's progress line, one per step: its own counter. */
    static final Pattern PROGRESS = Pattern.compile("^step (\\d+)/");

    @Test
    void fakeSdScriptsKilledTwiceOnceMidSaveResumesFromCompleteStatesToMaxSteps() throws Exception {
        TestSeed seed = TestSeed.of("fakeSdScriptsKilledTwiceOnceMidSaveResumesFromCompleteStatesToMaxSteps");
        // Every attempt's trainer hangs in the middle of the save at its own step `hang` (the fake's hook: it keeps
        // appending to optimizer.bin, so that folder never settles). The first attempt is killed there; the second is
        // killed before its counter gets there; the third has fewer than `hang` steps left, so it never hangs.
        int hang = (int) seed.between(3, 5) * SAVE_EVERY;
        int steps = 2 * hang - SAVE_EVERY;
        String python = Python.any();
        String script = StackSettings.repositoryRoot().resolve(FakeSdScripts.SCRIPT).toString();
        List<String> command = List.of(python, script, "--output_dir", "{outputDir}", "--output_name",
                FakeSdScripts.NAME, "--max_train_steps", "{maxSteps}", "--save_every_n_steps",
                String.valueOf(SAVE_EVERY), "--step_seconds", "0.05", "--hang_in_save_at_step", String.valueOf(hang));
        // The twin: the same trainer to maxSteps without Savepoint (no pauses, no hang: they do not change weights).
        String twin = CommandRuns.finalHashOfDirectRun(List.of(python, script, "--output_dir",
                CommandRuns.twinOutput("fake-sd-scripts-").toString(), "--output_name", FakeSdScripts.NAME,
                "--max_train_steps", String.valueOf(steps), "--save_every_n_steps", String.valueOf(SAVE_EVERY),
                "--step_seconds", "0"));

        Cluster cluster = Cluster.get();
        CommandRuns runs = new CommandRuns(cluster);
        long t0 = System.nanoTime();
        String runId = cluster.client.submit(Specs.command("e2e-fake-sd-scripts", steps, TrainerSpec.KOHYA, command,
                null, 5));

        // Kill 1: the trainer alone, hung with its state folder of step `hang` half-written, once the catalog has
        // committed the state before it.
        ProcessHandle trainer1 = CommandRuns.trainer(cluster.awaitAttemptPast(runId, 1, 0), script);
        Path output1 = CommandRuns.outputDir(trainer1);
        HalfWritten half = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> halfWritten(output1), h -> h.isPresent() && h.get().step() == hang).orElseThrow();
        cluster.awaitCommittedCheckpoint(runId, hang - SAVE_EVERY);
        trainer1.destroyForcibly();
        trainer1.onExit().join();
        List<CommandRuns.Kill> kills = new ArrayList<>();
        kills.add(new CommandRuns.Kill(1, hang, hang - SAVE_EVERY));
        System.out.printf("FakeSdScriptsKillsIT: kill 1 (%s): the trainer of attempt 1 mid-save of %s (files %s), "
                + "after the commit of step %d%n", seed, half.folder(), half.files(), hang - SAVE_EVERY);

        // Kill 2: attempt 2 with its trainer (a lost node), between two saves at its own step 12-34, 6 steps (300 ms)
        // or more before its next save and 16 or more before its hang, so that the trainer is frozen between saves,
        // not inside one (a trainer that stalls inside a save for longer than settleSeconds looks like one that
        // finished it: the runner then commits the half-written folder, which this test reports as a failure).
        // Its counter started at 0 again at the resume: the cumulative step is the resumed one plus the counter.
        // On a slow or busy machine the freeze can land later than asked, up to the trainer's own hang in the save of
        // step `hang`: that save never completes, so the newest complete one is the save before it.
        long resumed = runs.awaitResumedStart(runId, 2);
        long freezeAt = SAVE_EVERY * seed.between(1, hang / SAVE_EVERY - 2) + seed.between(2, 4);
        kills.add(runs.killFrozen(runId, 2, script, PROGRESS, freezeAt,
                at -> resumed + Math.min(at, hang - 1) / SAVE_EVERY * SAVE_EVERY, at -> resumed + at, true));
        System.out.printf("FakeSdScriptsKillsIT: kill 2 (%s): attempt 2 (resumed at %d) and its trainer at step %d, "
                + "after the commit of step %d%n", seed, resumed, kills.get(1).trainerStep(), kills.get(1).committed());

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(5));
        RunStory story = RunStory.of(cluster, runId).print("FakeSdScriptsKillsIT (" + seed + ")");
        System.out.printf("FakeSdScriptsKillsIT: killed twice and resumed in %.1f s (submit to end)%n",
                (System.nanoTime() - t0) / 1e9);
        CommandRuns.printRecomputed("FakeSdScriptsKillsIT", kills, cluster.client.attempts(runId));
        assertEquals("SUCCEEDED", run.path("state").asText(), run + " " + story);
        assertEquals(2, story.restarts(), story.toString());
        JsonNode attempts = cluster.client.attempts(runId);
        for (int i = 0; i < 2; i++) {
            assertEquals("KILLED", attempts.get(i).path("cause").asText(), "attempt " + (i + 1) + ": " + story);
        }
        List<JsonNode> committed = runs.committed(runId);
        for (JsonNode c : committed) {
            FakeSdScripts.assertCompleteState(runs, c);
            assertTrue(c.path("attempt").asInt() != 1 || !runs.manifest(c).layout().stateDir()
                    .equals(half.folder()), "the folder half-written at the kill (" + half + ") was committed as "
                    + c.path("id").asText());
        }
        runs.assertEveryResumeFromNewestCommitted(runId, committed, story);
        CommandRuns.assertCumulativeSteps(committed, steps);
        CommandRuns.assertResumedFromTheKillsSaves(kills, attempts, story);
        assertEquals(twin, run.path("finalParamsSha256").asText(), "final weights differ from an uninterrupted run's "
                + "(" + seed + "): " + story);
    }

    /** A state folder that has its first file but not yet all of its files and the weights beside it. */
    record HalfWritten(String folder, List<String> files) {
        long step() {
            return Long.parseLong(folder.replaceAll("\\D", ""));
        }
    }

    private static Optional<HalfWritten> halfWritten(Path output) {
        if (!Files.isDirectory(output)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(output)) {
            for (Path f : folders.filter(p -> p.getFileName().toString().endsWith("-state")).toList()) {
                String name = f.getFileName().toString();
                List<String> files = list(f);
                boolean beside = Files.exists(output.resolve(name.substring(0, name.length() - "-state".length())
                        + ".safetensors"));
                if (files.contains("train_state.json") && (!files.containsAll(FakeSdScripts.STATE_FILES) || !beside)) {
                    return Optional.of(new HalfWritten(name, files));
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty(); // the folder changed while it was listed: look again
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
