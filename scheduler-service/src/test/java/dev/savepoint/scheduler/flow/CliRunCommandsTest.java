package dev.savepoint.scheduler.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.security.Role;
import dev.savepoint.stack.ApiCli;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's run commands ({@code ./savepoint run ...}, {@code runs}) against the real scheduler-service (its API in
 * this process, real PostgreSQL and Kafka): tables, --json, the API's message on a refusal, and the exit codes.
 */
@QuarkusTest
@TestProfile(CallsAfterCommitTest.StubCatalog.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CliRunCommandsTest {

    @TestHTTPResource("/")
    URL scheduler;
    @TempDir
    Path dir;

    /** What one CLI invocation printed and returned. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            return Json.read(out, JsonNode.class);
        }
    }

    private Result cli(Role role, String... args) {
        return cli(scheduler.toString().replaceAll("/$", ""), role, args);
    }

    private static Result cli(String url, Role role, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ApiCli.run(List.of(args), url, CatalogStub.started().url(), TestStack.token(role),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String specFile(String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, Fixtures.spec(name, 5, 5).replace("\"heartbeatMillis\": 200",
                "\"heartbeatMillis\": 60000"));
        return file.toString();
    }

    private static String name() {
        return "cli-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitListShowCancelResumeWithTablesAndJson() throws IOException {
        Result submitted = cli(Role.OPERATOR, "run", "submit", specFile(name()), "--json");
        assertEquals(0, submitted.exit(), submitted.err());
        String runId = submitted.json().path("runId").asText();

        Result list = cli(Role.VIEWER, "runs", "--size", "500", "--json");
        assertEquals(0, list.exit());
        assertTrue(list.json().findValuesAsText("runId").contains(runId));
        Result table = cli(Role.VIEWER, "runs", "--size", "500");
        assertTrue(table.out().lines().findFirst().orElse("").startsWith("RUN"), table.out());
        assertTrue(table.out().contains("GOODPUT") && table.out().contains(runId), table.out());

        Result show = cli(Role.VIEWER, "run", "show", runId, "--json");
        assertEquals(runId, show.json().path("runId").asText());
        assertEquals(1, show.json().path("attempts").size());
        assertTrue(show.json().path("goodput").isNumber());
        assertTrue(cli(Role.VIEWER, "run", "show", runId).out().contains("ATTEMPT"));

        Result cancelled = cli(Role.OPERATOR, "run", "cancel", runId);
        assertEquals(0, cancelled.exit(), cancelled.err());
        assertTrue(cancelled.out().contains("CANCELLED"), cancelled.out());
        Result watched = cli(Role.VIEWER, "run", "watch", runId);
        assertEquals(6, watched.exit(), "a run that ended without succeeding");
        assertTrue(watched.out().startsWith("CANCELLED"), watched.out());

        Result resumed = cli(Role.OPERATOR, "run", "resume", runId, "--json");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals("LAUNCHING", resumed.json().path("state").asText());
        Result again = cli(Role.OPERATOR, "run", "resume", runId);
        assertEquals(4, again.exit(), "a refused command exits 4");
        assertTrue(again.err().contains("409") && again.err().contains("GAVE_UP or CANCELLED"), again.err());
    }

    @Test
    void refusalsPrintTheApisMessageAndExitWithTheirCode() throws IOException {
        String runId = cli(Role.OPERATOR, "run", "submit", specFile(name()), "--json").json().path("runId").asText();
        Path invalid = dir.resolve("invalid.json");
        Files.writeString(invalid, Fixtures.spec(name(), 5, 5).replace("\"maxSteps\": 100", "\"maxSteps\": 0"));

        Result refused = cli(Role.OPERATOR, "run", "submit", invalid.toString());
        assertEquals(4, refused.exit());
        assertTrue(refused.err().contains("maxSteps"), refused.err());
        Result unknown = cli(Role.VIEWER, "run", "show", "no-such-run");
        assertEquals(4, unknown.exit());
        assertTrue(unknown.err().contains("no run with id 'no-such-run'"), unknown.err());
        Result forbidden = cli(Role.VIEWER, "run", "cancel", runId);
        assertEquals(4, forbidden.exit());
        assertTrue(forbidden.err().contains("403"), forbidden.err());
        Result unreachable = cli("http://127.0.0.1:1", Role.VIEWER, "runs");
        assertEquals(5, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());
        assertEquals(2, cli(Role.VIEWER, "run", "show").exit());
        assertEquals(2, cli(Role.VIEWER, "run", "explode", runId).exit());
        assertEquals(2, cli(Role.OPERATOR, "run", "fork", runId).exit(), "--checkpoint is required");
        Result noCheckpoint = cli(Role.OPERATOR, "run", "fork", runId, "--checkpoint", UUID.randomUUID().toString());
        assertEquals(4, noCheckpoint.exit());
        assertTrue(noCheckpoint.err().contains("checkpointId"), noCheckpoint.err());
    }

    @Test
    void forkPrintsTheChildWithItsLineage() throws IOException {
        String parent = cli(Role.OPERATOR, "run", "submit", specFile(name()), "--json").json().path("runId").asText();
        String checkpoint = UUID.randomUUID().toString();
        CatalogStub.started().know(new CatalogStub.Known(checkpoint, parent, 40, "COMMITTED"));

        Result fork = cli(Role.OPERATOR, "run", "fork", parent, "--checkpoint", checkpoint, "--max-steps", "300",
                "--lr", "0.05", "--json");
        assertEquals(0, fork.exit(), fork.err());
        assertEquals(parent, fork.json().path("parentRunId").asText());
        assertEquals(checkpoint, fork.json().path("parentCheckpointId").asText());
        Result table = cli(Role.OPERATOR, "run", "fork", parent, "--checkpoint", checkpoint);
        assertTrue(table.out().contains("forked from " + parent + " at checkpoint " + checkpoint), table.out());
    }

    @Test
    void watchPrintsProgressUntilTheRunSucceeds() throws Exception {
        String runId = cli(Role.OPERATOR, "run", "submit", specFile(name()), "--json").json().path("runId").asText();
        RunSpec spec = Json.read(Fixtures.spec("x", 5, 5), RunSpec.class);
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "test", 1L));
            CompletableFuture<Result> watch = CompletableFuture.supplyAsync(
                    () -> cli(Role.VIEWER, "run", "watch", runId, "--interval", "100"));
            worker.publish(Topics.RUNS, Heartbeat.of(runId, 1, 60, 0, 480L, 0.1, 0.5, 10.0, 0, 1L));
            await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.state(runId).equals("RUNNING"));
            worker.publish(Topics.CHECKPOINTS, CheckpointCommitted.of(runId, 1, "ck-100", 100L, 10L, "e".repeat(64)));
            worker.publish(Topics.RUNS, AttemptSucceeded.of(runId, 1, 100, "e".repeat(64), 0.1, 1, 0));

            Result watched = watch.get(60, TimeUnit.SECONDS);
            assertEquals(0, watched.exit(), watched.err());
            List<String> lines = watched.out().lines().toList();
            assertTrue(lines.get(lines.size() - 1).matches("SUCCEEDED +step 100 .*attempt 1 +checkpoint step 100 .*"),
                    watched.out());
            assertTrue(lines.size() >= 2, "progress lines before the end: " + watched.out());
        }
    }
}
