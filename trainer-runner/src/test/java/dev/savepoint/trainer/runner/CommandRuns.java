package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;

import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command runs of the fake sd-scripts trainer ({@code examples/testing/fake_sd_scripts.py}, Python standard library
 * only) in attempt processes against the real stack: their specs, work folders and trainer processes.
 */
final class CommandRuns {

    /** Debian's interpreter, named explicitly: the first python3 on PATH may be another one. */
    static final String PYTHON = "/usr/bin/python3";
    static final Path FAKE_TRAINER = Path.of("").toAbsolutePath().getParent()
            .resolve("examples/testing/fake_sd_scripts.py");

    private CommandRuns() {
    }

    /** A kohya-preset spec running the fake trainer with {@code trainerArgs} after its usual arguments. */
    static Path kohyaSpec(Path dir, String name, int maxSteps, int settleSeconds, List<String> trainerArgs,
            Map<String, Object> trainerExtras) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, FAKE_TRAINER.toString(), "--output_dir", "{outputDir}",
                "--output_name", "demo", "--max_train_steps", "{maxSteps}"));
        command.addAll(trainerArgs);
        Map<String, Object> trainer = new LinkedHashMap<>(Map.of("type", "command", "preset", "kohya",
                "command", command, "settleSeconds", settleSeconds));
        trainer.putAll(trainerExtras);
        Map<String, Object> spec = Map.of("name", name, "maxSteps", maxSteps, "trainer", trainer,
                "runtime", Map.of("heartbeatMillis", 500));
        Path file = dir.resolve(name + ".json");
        Files.write(file, Json.write(spec));
        return file;
    }

    static AttemptProcess start(Path dir, String runId, int attempt, Path spec, String resumeFrom)
            throws IOException {
        return AttemptProcess.start(dir, runId, attempt, spec, resumeFrom, Map.of("SAVEPOINT_TRAINER_GRACE_MS",
                "10000"), List.of("-Xlog:class+load=info:file=" + classLog(dir, runId, attempt)),
                List.of("--work", work(dir, runId, attempt).toString()));
    }

    static Path work(Path dir, String runId, int attempt) {
        return dir.resolve("work").resolve(runId).resolve("attempt-" + attempt);
    }

    static Path classLog(Path dir, String runId, int attempt) {
        return dir.resolve(runId + "-" + attempt + ".classes");
    }

    /** The trainer's process (and process group) id, once the attempt wrote it. */
    static long trainerPid(Path work) {
        Path pidFile = work.resolve("command.pid");
        await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(pidFile)
                && !Files.readString(pidFile).isBlank());
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
