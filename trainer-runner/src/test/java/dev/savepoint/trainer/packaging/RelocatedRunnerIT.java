package dev.savepoint.trainer.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.stack.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner folder the build writes to {@code target/runner} (what the trainer image carries) works after it is
 * copied elsewhere: no path into the build machine's Maven repository, and it sets the determinism environment itself.
 */
class RelocatedRunnerIT {

    static final Path BUILT = Path.of(System.getProperty("savepoint.runner.dir", "target/runner"));

    @TempDir
    Path tmp;

    @Test
    void copiedRunnerPrintsItsUsage() throws Exception {
        Path runner = copyOfRunner();
        Result help = run(runner, Map.of(), "attempt", "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("usage: ./savepoint attempt [restore|watch] --run ID"), help.output());
    }

    @Test
    void copiedRunnerTrainsAnAttemptToTheEndUnderTheDeterminismSettings() throws Exception {
        Path runner = copyOfRunner();
        Path spec = Files.writeString(tmp.resolve("spec.json"), """
                {"name": "relocated", "seed": 3, "maxSteps": 40, "batchSize": 8,
                 "model": {"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 2},
                 "data": {"type": "synthetic", "samples": 64, "classes": 2, "seed": 5},
                 "optimizer": {"type": "sgd", "lr": 0.1},
                 "checkpoint": {"everySteps": 20}}""");
        Map<String, String> c = TestStack.shared().serviceConfig("trainer-service");
        var endpoints = new AttemptEnvironment.Endpoints(c.get("kafka.bootstrap.servers"), "http://127.0.0.1:1",
                c.get("savepoint.s3.endpoint"), c.get("savepoint.s3.bucket"));
        Map<String, String> env = new java.util.HashMap<>(AttemptEnvironment.withCredentials(endpoints,
                c.get("savepoint.s3.access-key"), c.get("savepoint.s3.secret-key"))
                .withKafkaUser(java.util.Optional.of(c.get("savepoint.runner.kafka-user")),
                        java.util.Optional.of(c.get("savepoint.runner.kafka-password"))).processEnvironment());
        AttemptEnvironment.DETERMINISM.keySet().forEach(env::remove); // the folder's own script must set them

        Result attempt = run(runner, env, "attempt", "--run", "relocated-" + UUID.randomUUID(), "--attempt", "1",
                "--spec", spec.toString());

        assertEquals(0, attempt.exitCode(), attempt.output());
        assertTrue(attempt.output().lines().anyMatch(l -> l.matches("final-params-sha256=[0-9a-f]{64}")),
                attempt.output());
        assertFalse(attempt.output().contains("MKL_CBWR="), "determinism settings missing: " + attempt.output());
    }

    private Path copyOfRunner() throws IOException {
        assertTrue(Files.isDirectory(BUILT.resolve("lib")), BUILT + "/lib is missing: run mvn package first");
        Path target = Files.createDirectories(tmp.resolve("moved")).resolve("runner");
        try (Stream<Path> files = Files.walk(BUILT)) {
            for (Path source : files.toList()) {
                Files.copy(source, target.resolve(BUILT.relativize(source).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return target;
    }

    private Result run(Path runner, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", runner.resolve("bin/attempt").toString()));
        command.addAll(List.of(args));
        Path log = tmp.resolve("attempt-" + UUID.randomUUID() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        AttemptEnvironment.DETERMINISM.keySet().forEach(builder.environment()::remove);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the relocated runner did not end within 5 minutes:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    record Result(int exitCode, String output) {
    }
}
