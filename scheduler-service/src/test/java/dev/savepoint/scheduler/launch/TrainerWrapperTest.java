package dev.savepoint.scheduler.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer container's wrapper script run for real by this machine's {@code /bin/sh}, exactly as the Job passes it
 * ({@code /bin/sh -c SCRIPT savepoint-trainer ARGV...}), around small shell "trainers".
 */
class TrainerWrapperTest {

    /** Prints each of its arguments as [arg] on a line, then exits with the code in $EXIT. */
    static final List<String> ECHO_TRAINER = List.of("/bin/sh", "-c",
            "for a; do printf '[%s]\\n' \"$a\"; done; exit \"${EXIT:-0}\"", "trainer");

    @TempDir
    Path work;

    private Process start(List<String> argv, String exit) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(TrainerWrapper.command(argv)).redirectErrorStream(true);
        pb.environment().put(TrainerWrapper.WORK_VARIABLE, work.toString());
        pb.environment().put("EXIT", exit);
        return pb.start();
    }

    private record Ended(int code, String stdout) {
    }

    private Ended run(List<String> argv, String exit) throws Exception {
        Process p = start(argv, exit);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the wrapper ended"); // its few lines fit in the pipe
        return new Ended(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String file(String name) throws IOException {
        return Files.readString(work.resolve(name), StandardCharsets.UTF_8);
    }

    private static List<String> with(List<String> argv, String... more) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void resumeArgumentsAreAppendedOnePerLineWithSpacesAndShellCharactersKept() throws Exception {
        // the last line has no newline: it still counts
        Files.writeString(work.resolve("resume-args"),
                "--resume_from_checkpoint\n/savepoint/work/resume/checkpoint 300\n$HOME * `id`");
        Ended e = run(with(ECHO_TRAINER, "--output_dir", "/savepoint/work/output", "two words"), "0");
        String expected = "[--output_dir]\n[/savepoint/work/output]\n[two words]\n[--resume_from_checkpoint]\n"
                + "[/savepoint/work/resume/checkpoint 300]\n[$HOME * `id`]\n";
        assertEquals(expected, e.stdout(), "the container's own output");
        assertEquals(expected, file("trainer.log"), "the log the watch sidecar reads");
        assertEquals(0, e.code());
        assertEquals("0\n", file("exit-code"));
        assertTrue(Files.isDirectory(work.resolve("output")), "the output folder exists before the trainer runs");
    }

    @Test
    void anEmptyOrMissingResumeArgsFileStartsTheCommandAsItIs() throws Exception {
        Files.writeString(work.resolve("resume-args"), "");
        assertEquals("[--fresh]\n", run(with(ECHO_TRAINER, "--fresh"), "0").stdout());
        Files.delete(work.resolve("resume-args"));
        Ended missing = run(with(ECHO_TRAINER, "--fresh"), "0");
        assertTrue(missing.stdout().endsWith("[--fresh]\n"), missing.stdout());
        assertEquals("[--fresh]\n[--fresh]\n", file("trainer.log"), "the log is appended to, never truncated");
    }

    @Test
    void theTrainersExitCodeIsWrittenAndIsTheWrappersOwn() throws Exception {
        for (String code : List.of("0", "3", "8", "200")) {
            Ended e = run(ECHO_TRAINER, code);
            assertEquals(Integer.parseInt(code), e.code(), "exit " + code);
            assertEquals(code + "\n", file("exit-code"), "exit " + code);
        }
    }

    @Test
    void aTrainerKilledBySigkillEndsWith137() throws Exception {
        Ended e = run(List.of("/bin/sh", "-c", "echo before; kill -KILL $$; echo after"), "0");
        assertEquals(137, e.code());
        assertEquals("137\n", file("exit-code"));
        assertEquals("before\n", file("trainer.log"));
    }

    @Test
    void sigtermToTheWrapperReachesTheTrainerWhichSavesAndChoosesTheExitCode() throws Exception {
        Path ready = work.resolve("ready");
        Process p = start(List.of("/bin/sh", "-c", "trap 'echo saving on TERM; exit 42' TERM; : > \"$1\"; "
                + "while :; do sleep 0.05; done", "trainer", ready.toString()), "0");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ready));
        // SIGTERM, as the kubelet sends it to the container's first process (Process.destroy would close our end of
        // the wrapper's output)
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the wrapper ended after its trainer");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(42, p.exitValue());
        assertEquals("42\n", file("exit-code"));
        assertEquals("saving on TERM\n", file("trainer.log"));
        assertTrue(out.endsWith("\nsaving on TERM\n"), out); // after the wrapper's note that it starts fresh
    }

    @Test
    void aStopFileFromTheSidecarStopsTheTrainerWithSigterm() throws Exception {
        Path ready = work.resolve("ready");
        Process p = start(List.of("/bin/sh", "-c", "trap 'echo stopped by TERM; exit 0' TERM; : > \"$1\"; "
                + "while :; do sleep 0.05; done", "trainer", ready.toString()), "0");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ready));
        assertTrue(p.isAlive(), "the trainer runs until asked to stop");
        Files.writeString(work.resolve("stop"), "maxSteps\n"); // what the watch sidecar writes at maxSteps
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the wrapper ended after its trainer");
        assertEquals(0, p.exitValue());
        assertEquals("0\n", file("exit-code"));
        assertEquals("stopped by TERM\n", file("trainer.log"));
    }
}
