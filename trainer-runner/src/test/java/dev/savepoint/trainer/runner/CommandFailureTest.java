package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a training command's end is classified, and what its environment holds. */
class CommandFailureTest {

    @TempDir
    Path dir;

    @Test
    void missingScriptIsAPermanentErrorNamingThePatternAndTheLine() throws Exception {
        Path spec = dir.resolve("missing.json");
        Files.write(spec, Json.write(Map.of("name", "missing", "maxSteps", 10, "trainer", Map.of("type", "command",
                "preset", "kohya", "command", List.of(CommandRuns.PYTHON, "/nonexistent/train_network.py",
                        "--output_dir", "{outputDir}")))));
        String runId = "cmd-missing-" + UUID.randomUUID();
        AttemptProcess attempt = CommandRuns.start(dir, runId, 1, spec, null);
        assertEquals(AttemptExit.PERMANENT_ERROR.code(), attempt.awaitExit(), attempt.stderr());

        AttemptFailed failed = RunEvents.one(runId, AttemptFailed.class);
        assertEquals(FailureReason.PERMANENT_ERROR, failed.reason());
        assertTrue(failed.message().startsWith("permanent failure: output matched 'can't open file .*"),
                failed.message());
        assertTrue(failed.message().contains("can't open file '/nonexistent/train_network.py': [Errno 2] No such "
                + "file or directory"), failed.message());
        assertEquals(2, failed.exitCode(), "python's own exit code");
    }

    @Test
    void theTrainerSeesNoObjectStoreCredentialButItsOwnEnvironment() throws Exception {
        Path spec = dir.resolve("env.json");
        Files.write(spec, Json.write(Map.of("name", "env", "maxSteps", 10, "trainer", Map.of("type", "command",
                "preset", "generic", "command", List.of("/usr/bin/env"), "statePattern", "state-*",
                "resumeArgs", List.of("--resume", "{stateDir}"),
                "env", Map.of("TRAINER_ONLY", "from-the-spec")))));
        String runId = "cmd-env-" + UUID.randomUUID();
        AttemptProcess attempt = AttemptProcess.start(dir, runId, 1, spec, null, Map.of("AWS_SECRET_ACCESS_KEY",
                "leak-me"), List.of(), List.of("--work", CommandRuns.work(dir, runId, 1).toString()));
        assertEquals(0, attempt.awaitExit(), attempt.stderr());
        RunEvents.one(runId, AttemptSucceeded.class);

        List<String> env = Files.readAllLines(CommandRuns.work(dir, runId, 1).resolve("trainer.log"));
        assertTrue(env.contains("TRAINER_ONLY=from-the-spec"), "the spec's env: " + env);
        assertTrue(env.stream().anyMatch(l -> l.startsWith("SAVEPOINT_KAFKA_BOOTSTRAP=")), "the rest is inherited");
        assertFalse(env.stream().anyMatch(l -> l.startsWith("SAVEPOINT_S3_") || l.startsWith("AWS_")),
                "no credential: " + env);
        assertFalse(String.join("\n", env).contains("leak-me"));
    }

    @Test
    void aBuiltInCheckpointCannotResumeACommandRun() throws Exception {
        String runId = "cmd-djl-" + UUID.randomUUID();
        AttemptProcess builtIn = AttemptProcess.start(dir, runId, 1, Specs.write(dir, "djl", Specs.MLP_ADAMW, 100,
                1), null, Map.of());
        assertEquals(0, builtIn.awaitExit(), builtIn.stderr());

        Path spec = CommandRuns.kohyaSpec(dir, "after-djl", 40, 1, List.of(), Map.of());
        AttemptProcess command = CommandRuns.start(dir, runId, 2, spec, "latest");
        assertEquals(AttemptExit.INVALID_SPEC.code(), command.awaitExit(), command.stderr());
        AttemptFailed failed = RunEvents.first(dev.savepoint.contracts.Topics.RUNS, runId, AttemptFailed.class,
                e -> e.attempt() == 2);
        assertEquals(FailureReason.INVALID_SPEC, failed.reason());
        assertTrue(failed.message().contains("written by the built-in trainer and has no state layout"),
                failed.message());
        assertFalse(Files.exists(CommandRuns.work(dir, runId, 2).resolve("command.pid")), "no trainer was started");
    }
}
