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

    /**
     * deploy/docker/trainer.Dockerfile as this machine can run it: its COPY of the runner folder to the same path under
     * a stand-in root, its WORKDIR, ENV and ENTRYPOINT (with that root in front of its absolute paths), and the
     * arguments a Job passes after it ({@code attempt ...}). The image's base, a pinned JRE, is the only part left out.
     */
    @Test
    void theTrainerImagesEntryPointRunsTheRunnerFromTheImagesLayout() throws Exception {
        Path dockerfile = Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent)
                .map(p -> p.resolve("deploy/docker/trainer.Dockerfile")).filter(Files::isRegularFile).findFirst()
                .orElseThrow();
        List<String> lines = Files.readAllLines(dockerfile).stream().filter(l -> !l.startsWith("#")).toList();
        String from = value(lines, "FROM");
        assertTrue(from.matches("[a-z0-9./-]+:[0-9][^ ]*") && !from.endsWith(":latest"), "base pinned by tag: " + from);
        String user = value(lines, "USER");
        assertTrue(user.matches("[1-9][0-9]*"), "a numeric non-root user (runAsNonRoot can check it): " + user);
        String[] copy = value(lines, "COPY").split(" ");
        assertEquals("trainer-runner/target/runner/", copy[0], "the image carries the relocatable runner folder");
        Path root = Files.createDirectories(tmp.resolve("image"));
        Path runner = copyOfRunner(root.resolve(copy[1].substring(1)));
        List<String> entry = new java.util.ArrayList<>(List.of(value(lines, "ENTRYPOINT")
                .replaceAll("[\\[\\]\"]", "").split(",\\s*")));
        assertEquals(List.of("sh", "/app/runner/bin/attempt"), entry);
        entry.set(1, root + entry.get(1));
        assertTrue(Files.isRegularFile(Path.of(entry.get(1))), entry.get(1) + " is in the copied folder " + runner);
        Map<String, String> env = new java.util.HashMap<>();
        for (String pair : value(lines, "ENV").split(" ")) {
            env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        env.put("DJL_CACHE_DIR", tmp.resolve("djl").toString()); // /tmp/djl of the image, here in the test's folder
        Path workdir = Files.createDirectories(root.resolve(value(lines, "WORKDIR").substring(1)));
        entry.addAll(List.of("attempt", "--help"));
        Result help = run(entry, workdir, env);
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("usage: ./savepoint attempt [restore|watch] --run ID"), help.output());
    }

    private static String value(List<String> dockerfile, String instruction) {
        return dockerfile.stream().filter(l -> l.startsWith(instruction + " ")).map(l -> l.substring(
                instruction.length() + 1).trim()).findFirst().orElseThrow(() -> new AssertionError("no " + instruction));
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
        return copyOfRunner(Files.createDirectories(tmp.resolve("moved")).resolve("runner"));
    }

    private Path copyOfRunner(Path target) throws IOException {
        assertTrue(Files.isDirectory(BUILT.resolve("lib")), BUILT + "/lib is missing: run mvn package first");
        Files.createDirectories(target.getParent());
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
        return run(command, tmp, extraEnv);
    }

    private Result run(List<String> command, Path workdir, Map<String, String> extraEnv) throws Exception {
        Path log = tmp.resolve("attempt-" + UUID.randomUUID() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true)
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
