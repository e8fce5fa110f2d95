package dev.savepoint.trainer.large;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 300M-parameter transformer checkpoints, is SIGKILLed, and resumes bit-exactly in a new process, each process
 * within 12 GiB. Tagged {@code large}: {@code mvn verify} leaves it out; run it with
 * {@code -Dgroups=large -Dbenchmarks.excluded=none}. It prints each process's step times and peak RSS.
 */
@Tag("large")
class LargeTransformerTest {

    static final long MEMORY_LIMIT = 12L << 30;
    static final int STOP_AT = 2;
    static final int STEPS = 3;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path dir;

    @Test
    void a300MParameterRunKilledAfterACheckpointResumesBitForBitWithin12GiB() throws Exception {
        String[] size = {"24", "1024", "16"};
        Child uninterrupted = Child.start(dir, "uninterrupted", size, "train", String.valueOf(STEPS));
        assertEquals(0, uninterrupted.awaitExit(), uninterrupted.log());

        Path checkpoint = dir.resolve("checkpoint");
        Child first = Child.start(dir, "first", size, "checkpoint", String.valueOf(STOP_AT), checkpoint.toString());
        try {
            // On a shared 2-core machine a step of this size took up to 8 minutes: the bound is generous.
            await().atMost(Duration.ofMinutes(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> first.log().contains("checkpoint-written") || !first.process.isAlive());
            assertTrue(first.process.isAlive(), first.log());
        } finally {
            first.process.destroyForcibly().waitFor(); // SIGKILL, and never left behind by a failed wait
        }
        Child resumed = Child.start(dir, "resumed", size, "resume", checkpoint.toString(), String.valueOf(STEPS));
        assertEquals(0, resumed.awaitExit(), resumed.log());

        assertEquals(uninterrupted.value("final-params-sha256"), resumed.value("final-params-sha256"));
        assertTrue(Long.parseLong(uninterrupted.value("parameters")) > 300_000_000L);
        for (Child child : List.of(uninterrupted, first, resumed)) {
            long peak = Long.parseLong(child.value("peak-rss-bytes"));
            System.out.printf("%s: peak RSS %.2f GiB, step seconds %s%n", child.name, peak / (double) (1L << 30),
                    child.values("step-seconds"));
            assertTrue(peak < MEMORY_LIMIT, child.name + " peaked at " + peak + " bytes");
        }
    }

    @Test
    void stepTimesAt10MAnd100MParameters() throws Exception {
        for (String[] size : new String[][] {{"6", "384", "6"}, {"12", "832", "13"}}) {
            Child run = Child.start(dir, "size-" + size[1], size, "train", "3");
            assertEquals(0, run.awaitExit(), run.log());
            System.out.printf("%s parameters: step seconds %s, peak RSS %.2f GiB%n", run.value("parameters"),
                    run.values("step-seconds"), Long.parseLong(run.value("peak-rss-bytes")) / (double) (1L << 30));
            assertEquals(3, run.values("step-seconds").size());
        }
    }

    /** A {@link LargeRun} process with its output in a file. */
    record Child(String name, Process process, Path out) {

        static Child start(Path dir, String name, String[] size, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx6g", "-cp", System.getProperty("java.class.path"), LargeRun.class.getName()));
            cmd.addAll(List.of(size));
            cmd.addAll(List.of(args));
            Path out = dir.resolve(name + ".log");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new Child(name, process, out);
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(90, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        }

        String log() throws IOException {
            return Files.exists(out) ? Files.readString(out) : "";
        }

        List<String> values(String key) throws IOException {
            List<String> found = new ArrayList<>();
            for (String line : Files.readAllLines(out)) {
                for (String field : line.split(" ")) {
                    if (field.startsWith(key + "=")) {
                        found.add(field.substring(key.length() + 1));
                    }
                }
            }
            return found;
        }

        String value(String key) throws IOException {
            List<String> found = values(key);
            assertTrue(!found.isEmpty(), key + " not printed by " + name + ":\n" + log());
            return found.get(found.size() - 1);
        }
    }
}
