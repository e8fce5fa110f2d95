package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.security.Role;
import dev.savepoint.stack.ApiCli;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's checkpoint commands ({@code ./savepoint checkpoints RUN}, {@code checkpoint pin|unpin|delete|download})
 * against the real checkpoint-service in this process (real PostgreSQL, Kafka and S3): tables, --json, the API's
 * message on a refusal, exit codes, and downloaded bytes equal to the stored ones.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CliCheckpointCommandsTest {

    @TestHTTPResource("/")
    URL service;
    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        JsonNode json() {
            return Json.read(out, JsonNode.class);
        }
    }

    private Result cli(Role role, String... args) {
        String url = service.toString().replaceAll("/$", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ApiCli.run(List.of(args), "http://127.0.0.1:1", url, TestStack.token(role),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listPinDeleteAndDownloadARunsCheckpoints() throws Exception {
        TestCheckpoints checkpoints = new TestCheckpoints(s3, config.s3().bucket());
        String runId = TestCheckpoints.runId("cli");
        checkpoints.send(Topics.RUNS, AttemptStarted.of(runId, 1,
                Specs.withRetention(new RetentionSpec(5, 0, "loss", "min", 0, null)), null, null, "h", 1L));
        CheckpointWritten older = checkpoints.store(runId, 10, 1, 0.5);
        CheckpointWritten newest = checkpoints.store(runId, 20, 1, 0.25);
        checkpoints.send(Topics.CHECKPOINTS, older);
        checkpoints.send(Topics.CHECKPOINTS, newest);
        awaitState(newest.checkpointId(), "COMMITTED");
        awaitState(older.checkpointId(), "COMMITTED");

        Result table = cli(Role.VIEWER, "checkpoints", runId);
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().startsWith("CHECKPOINT"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith(newest.checkpointId()) && l.contains("kept: newest")
                && l.contains("0.25")), table.out());
        Result json = cli(Role.VIEWER, "checkpoints", runId, "--json");
        assertEquals(2, json.json().size());

        Result pinned = cli(Role.OPERATOR, "checkpoint", "pin", older.checkpointId(), "--json");
        assertEquals(0, pinned.exit(), pinned.err());
        assertTrue(pinned.json().path("pinned").asBoolean());
        Result refused = cli(Role.OPERATOR, "checkpoint", "delete", older.checkpointId());
        assertEquals(4, refused.exit());
        assertTrue(refused.err().contains("is pinned"), refused.err());
        assertEquals(0, cli(Role.OPERATOR, "checkpoint", "unpin", older.checkpointId()).exit());
        Result newestRefused = cli(Role.OPERATOR, "checkpoint", "delete", newest.checkpointId());
        assertEquals(4, newestRefused.exit());
        assertTrue(newestRefused.err().contains("newest"), newestRefused.err());
        assertEquals(4, cli(Role.VIEWER, "checkpoint", "pin", newest.checkpointId()).exit(), "a viewer: 403");

        Result downloaded = cli(Role.VIEWER, "checkpoint", "download", newest.checkpointId(), "--to",
                dir.toString(), "--json");
        assertEquals(0, downloaded.exit(), downloaded.err());
        assertEquals(newest.files().size(), downloaded.json().size());
        for (ManifestFile f : newest.files()) {
            Path file = dir.resolve(newest.checkpointId()).resolve(f.name());
            assertEquals(f.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file))), f.name());
        }
        assertTrue(Files.exists(dir.resolve(newest.checkpointId()).resolve("manifest.json")));

        Result deleted = cli(Role.OPERATOR, "checkpoint", "delete", older.checkpointId());
        assertEquals(0, deleted.exit(), deleted.err());
        assertTrue(deleted.out().contains("DELETED"), deleted.out());
        Result unknown = cli(Role.VIEWER, "checkpoint", "download", UUID.randomUUID().toString());
        assertEquals(4, unknown.exit());
        assertTrue(unknown.err().contains("does not exist"), unknown.err());
        assertEquals(2, cli(Role.VIEWER, "checkpoint", "download").exit());
    }

    private static void awaitState(String checkpointId, String state) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/checkpoints/{id}", checkpointId)
                .then().statusCode(200).body("state", equalTo(state)));
    }
}
