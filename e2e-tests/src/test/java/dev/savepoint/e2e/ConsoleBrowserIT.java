package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in headless Chromium over the three real services: a run whose attempt is SIGKILLed twice, followed
 * from the runs list; its chart's checkpoint and restart marks counted against both APIs; a pin that changes its
 * mark; a download compared byte for byte; a fork from a checkpoint that opens the child with its parent link.
 */
class ConsoleBrowserIT {

    static final int STEPS = 1000;

    @Test
    void aRunKilledTwiceShowsEveryCheckpointAndBothRestartsAndAPinChangesItsMark() throws Exception {
        Cluster cluster = Cluster.get();
        String runId = killedTwice(cluster);
        String checkpointApi = cluster.services.service("checkpoint-service").url();
        JsonNode run = cluster.client.run(runId);
        JsonNode history = cluster.client.get(checkpointApi + "/api/runs/" + runId + "/checkpoints?size=500");
        Path downloads = Files.createTempDirectory("console-e2e-downloads");
        ChromeDriver browser = Browser.open(downloads);
        try {
            signIn(browser, checkpointApi, cluster.services.adminToken());
            browser.get(checkpointApi + "/console?q=" + runId);
            Browser.screenshot(browser, "e2e-console-runs");
            browser.findElement(By.linkText(runId)).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/runs/" + runId));
            Browser.screenshot(browser, "e2e-console-killed-twice");

            assertEquals(history.path("total").asInt(), Browser.chartCheckpoints(browser), history.toString());
            assertEquals(2, run.path("restarts").asInt(), run.toString());
            assertEquals(run.path("restarts").asInt(), browser.findElements(
                    By.cssSelector("#run-chart [data-restart]")).size());
            assertEquals(2, browser.findElements(By.cssSelector("#run-chart [data-lost]")).size());

            JsonNode kept = committedUnpinned(history);
            String id = kept.path("id").asText();
            By mark = By.cssSelector("#run-chart [data-checkpoint='" + id + "']");
            assertEquals(1, browser.findElements(mark).size(), "a chart of 10 checkpoints marks each one");
            assertTrue(!"pinned".equals(browser.findElement(mark).getAttribute("data-kind")));
            browser.findElement(By.cssSelector("tr[data-checkpoint-row='" + id + "'] button.pin")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(mark).stream().anyMatch(
                    e -> "pinned".equals(e.getAttribute("data-kind"))));
            Browser.screenshot(browser, "e2e-console-pinned");

            browser.findElement(By.cssSelector("tr[data-checkpoint-row='" + id
                    + "'] a.download[href$='model.safetensors']")).click();
            Path file = downloads.resolve("model.safetensors");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(file)
                    && !Files.exists(downloads.resolve("model.safetensors.crdownload")));
            assertArrayEquals(bytes(checkpointApi + "/api/checkpoints/" + id + "/files/model.safetensors",
                    cluster.services.adminToken()), Files.readAllBytes(file));
        } finally {
            browser.quit();
        }
    }

    /**
     * Needs scheduler-service's fork endpoint ({@code POST /api/runs/{id}/fork {checkpointId, overrides}}, run
     * fields parentRunId and parentCheckpointId), built on another branch; it fails until that is merged.
     */
    @Test
    void forkingFromACheckpointOpensTheChildRunWithItsParentLink() throws Exception {
        Cluster cluster = Cluster.get();
        String parent = cluster.client.submit(Specs.mlp("e2e-console-parent", 300));
        cluster.awaitDone(parent, Duration.ofMinutes(5));
        String checkpointApi = cluster.services.service("checkpoint-service").url();
        JsonNode history = cluster.client.get(checkpointApi + "/api/runs/" + parent + "/checkpoints?size=500");
        String from = committedUnpinned(history).path("id").asText();
        ChromeDriver browser = Browser.open(Files.createTempDirectory("console-e2e-fork"));
        try {
            signIn(browser, checkpointApi, cluster.services.adminToken());
            browser.get(checkpointApi + "/console/runs/" + parent);
            WebElement row = browser.findElement(By.cssSelector("tr[data-checkpoint-row='" + from + "']"));
            row.findElement(By.cssSelector("details.fork summary")).click();
            row.findElement(By.cssSelector("button.fork-submit")).click();
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("parent-link")).isEmpty());
            Browser.screenshot(browser, "e2e-console-fork-child");
            String child = browser.getCurrentUrl().replaceAll(".*/runs/", "");
            assertEquals(parent, browser.findElement(By.id("parent-link")).getText());
            assertEquals(parent, cluster.client.run(child).path("parentRunId").asText());
            assertEquals(from, cluster.client.run(child).path("parentCheckpointId").asText());
        } finally {
            browser.quit();
        }
    }

    /** A run whose first and second attempts are SIGKILLed mid-training; returns once it succeeded. */
    private static String killedTwice(Cluster cluster) {
        String runId = cluster.client.submit(Specs.mlp("e2e-console-killed", STEPS));
        cluster.awaitCommittedCheckpoint(runId, 100);
        ProcessHandle.of(cluster.awaitAttemptPast(runId, 1, 300)).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(cluster.awaitAttemptPast(runId, 2, 650)).ifPresent(ProcessHandle::destroyForcibly);
        JsonNode done = cluster.awaitDone(runId, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
        return runId;
    }

    private static void signIn(ChromeDriver browser, String base, String token) {
        browser.get(base + "/console/login");
        browser.findElement(By.name("token")).sendKeys(token);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static JsonNode committedUnpinned(JsonNode history) {
        for (JsonNode c : history.path("items")) {
            if ("COMMITTED".equals(c.path("state").asText()) && !c.path("pinned").asBoolean()) {
                return c;
            }
        }
        throw new AssertionError("no committed checkpoint to act on: " + history);
    }

    private static byte[] bytes(String url, String token) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }
}
