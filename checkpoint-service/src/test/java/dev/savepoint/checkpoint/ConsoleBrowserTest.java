package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.support.Specs;
import dev.savepoint.checkpoint.support.TestCheckpoints;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.security.Role;
import dev.savepoint.stack.Browser;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in headless Chromium against real commits: sign in, follow a run from the list, count its chart's
 * marks against the API, pin a checkpoint and see its mark change, download a file and compare its bytes.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsoleBrowserTest {

    @Inject
    MinioClient s3;
    @Inject
    CheckpointConfig config;
    @TestHTTPResource("/")
    URL base;

    @Test
    void anOperatorFollowsARunPinsACheckpointAndDownloadsItsFile() throws Exception {
        String runId = TestCheckpoints.runId("browser");
        TestCheckpoints events = new TestCheckpoints(s3, config.s3().bucket());
        var spec = Specs.withRetention(new RetentionSpec(10, 0, "loss", "min", 0, null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 1, spec, null, null, "node-a", 11L));
        events.send(Topics.CHECKPOINTS, events.store(runId, 100, 1, 0.9));
        events.send(Topics.CHECKPOINTS, events.store(runId, 200, 1, 0.7));
        // attempt 2's start fences attempt 1's checkpoints: they must be in before it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}/checkpoints",
                runId).then().body("total", equalTo(2)).body("items.state", org.hamcrest.Matchers.everyItem(
                equalTo("COMMITTED"))));
        events.send(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.KILLED, "SIGKILL", 137, "KILL", 230L,
                "trainer-service", null));
        events.send(Topics.RUNS, AttemptStarted.of(runId, 2, spec, null, null, "node-b", 12L));
        events.send(Topics.CHECKPOINTS, events.store(runId, 300, 2, 0.5));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/runs/{runId}/checkpoints",
                runId).then().body("total", equalTo(3)).body("items.state", org.hamcrest.Matchers.everyItem(
                equalTo("COMMITTED"))));
        String first = given().get("/api/runs/{runId}/checkpoints", runId).then().extract().path("items[0].id");
        int restarts = given().get("/api/runs/{runId}/attempts", runId).then().extract().path("size()");

        Path downloads = Files.createTempDirectory("console-downloads");
        ChromeDriver browser = Browser.open(downloads);
        try {
            browser.get(base + "console/login");
            browser.findElement(By.name("token")).sendKeys(TestStack.token(Role.OPERATOR));
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            browser.get(base + "console?q=" + runId);
            browser.findElement(By.linkText(runId)).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/console/runs/"
                    + runId));
            Browser.screenshot(browser, "console-run-before-pin");
            int total = given().get("/api/runs/{runId}/checkpoints", runId).then().extract().path("total");
            assertEquals(total, Browser.chartCheckpoints(browser));
            assertEquals(restarts - 1, browser.findElements(By.cssSelector("#run-chart [data-restart]")).size());

            By mark = By.cssSelector("#run-chart [data-checkpoint='" + first + "']");
            assertEquals("latest", browser.findElement(mark).getAttribute("data-kind"));
            browser.findElement(By.cssSelector("tr[data-checkpoint-row='" + first + "'] button.pin")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> "pinned".equals(browser.findElement(mark)
                    .getAttribute("data-kind")));
            Browser.screenshot(browser, "console-run-pinned");

            browser.findElement(By.cssSelector("tr[data-checkpoint-row='" + first
                    + "'] a.download[href$='model.safetensors']")).click();
            Path file = downloads.resolve("model.safetensors");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(file)
                    && !Files.exists(downloads.resolve("model.safetensors.crdownload")));
            byte[] expected = given().get("/api/checkpoints/{id}/files/model.safetensors", first).then()
                    .statusCode(200).extract().asByteArray();
            assertArrayEquals(expected, Files.readAllBytes(file));
        } finally {
            browser.quit();
        }
    }
}
