package dev.savepoint.trainer.runner;

import static org.awaitility.Awaitility.await;

import dev.savepoint.stack.TestStack;
import dev.savepoint.trainer.engine.EngineSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An attempt run the way trainer-service runs it: a child JVM with the determinism env, against the real stack. */
final class AttemptProcess {

    private final Process process;
    private final Path out;
    private final Path err;

    private AttemptProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static AttemptProcess start(Path dir, String runId, int attempt, Path spec, String resumeFrom,
            Map<String, String> extraEnv) throws IOException {
        return start(dir, runId, attempt, spec, resumeFrom, extraEnv, List.of(), List.of());
    }

    /** The same with JVM options before the main class and arguments after the usual ones. */
    static AttemptProcess start(Path dir, String runId, int attempt, Path spec, String resumeFrom,
            Map<String, String> extraEnv, List<String> jvmOptions, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(AttemptMain.class.getName(),
                "--run", runId, "--attempt", Integer.toString(attempt), "--spec", spec.toString()));
        cmd.addAll(extraArgs);
        if (resumeFrom != null) {
            cmd.addAll(List.of("--resume-from", resumeFrom));
        }
        Path out = dir.resolve(runId + "-" + attempt + ".out");
        Path err = dir.resolve(runId + "-" + attempt + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env());
        pb.environment().putAll(extraEnv);
        return new AttemptProcess(pb.start(), out, err);
    }

    /** An attempt process with exactly {@code args} (a sub-command such as {@code restore} or {@code watch}). */
    static AttemptProcess startArgs(Path dir, String name, int attempt, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AttemptMain.class.getName()));
        cmd.addAll(args);
        Path out = dir.resolve(name + "-" + attempt + ".out");
        Path err = dir.resolve(name + "-" + attempt + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env());
        return new AttemptProcess(pb.start(), out, err);
    }

    static Map<String, String> env() {
        // What trainer-service gives its children: the attempts' Kafka user (never the service's own).
        Map<String, String> c = TestStack.shared().serviceConfig("trainer-service");
        Map<String, String> env = new HashMap<>(EngineSettings.DETERMINISM_ENV);
        env.put("SAVEPOINT_KAFKA_BOOTSTRAP", c.get("kafka.bootstrap.servers"));
        env.put("SAVEPOINT_KAFKA_USER", c.get("savepoint.runner.kafka-user"));
        env.put("SAVEPOINT_KAFKA_PASSWORD", c.get("savepoint.runner.kafka-password"));
        env.put("SAVEPOINT_S3_ENDPOINT", c.get("savepoint.s3.endpoint"));
        env.put("SAVEPOINT_S3_ACCESS_KEY", c.get("savepoint.s3.access-key"));
        env.put("SAVEPOINT_S3_SECRET_KEY", c.get("savepoint.s3.secret-key"));
        env.put("SAVEPOINT_S3_BUCKET", c.get("savepoint.s3.bucket"));
        env.put("SAVEPOINT_CHECKPOINT_URL", "http://127.0.0.1:1"); // no catalog: resume finds checkpoints in storage
        env.put("SAVEPOINT_CATALOG_RETRY_MS", "1000"); // ... after a short retry, so that tests do not wait a minute
        return env;
    }

    /** Waits for the process to end (at most 3 minutes) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("attempt did not end within 3 minutes; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Waits (generously) until the attempt's stderr contains {@code text}; fails early if the attempt ended. */
    void awaitStderr(String text) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError("attempt ended (exit " + process.exitValue() + ") before its stderr said '"
                        + text + "':\n" + stderr());
            }
            return false;
        });
    }

    /** Waits until the attempt stands at a hold of {@link Holds} at {@code step}. */
    void awaitHeldAt(long step) {
        awaitStderr("test hold at step " + step + " ");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as Kubernetes sends before a pod's grace period ends. */
    void terminate() {
        process.toHandle().destroy();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** The hash of the final parameters: the value of the last stdout line {@code final-params-sha256=...}. */
    String finalHash() {
        List<String> lines = stdout().lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (!last.startsWith("final-params-sha256=")) {
            throw new AssertionError("last stdout line is not the final hash: '" + last + "'; stderr:\n" + stderr());
        }
        return last.substring("final-params-sha256=".length());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable " + file + File.separator + ")";
        }
    }
}
