package dev.savepoint.trainer.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * checkpoint-service as an attempt sees it: which checkpoint to resume from, leases and corrupt reports. When it
 * answers it is the authority (its {@code latest} is the newest COMMITTED checkpoint); an unreachable service or a
 * 5xx is retried with backoff for {@link RetryPolicy#catalogRetryMillis()}.
 */
final class CatalogClient {

    /** A checkpoint as the catalog knows it. */
    record Entry(String checkpointId, String prefix, String state) {
        boolean committed() {
            return "COMMITTED".equals(state);
        }
    }

    /** The catalog's answer: the checkpoint, or none ({@code entry} null) with the catalog's message. */
    record Answer(Entry entry, String message) {
    }

    private final String baseUrl;
    private final RetryPolicy retry;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    CatalogClient(String baseUrl, RetryPolicy retry, PrintStream log) {
        this.baseUrl = baseUrl;
        this.retry = retry;
        this.log = log;
    }

    /** The newest COMMITTED checkpoint of the run, or none; empty when the catalog did not answer in time. */
    Optional<Answer> latest(String runId) throws InterruptedException {
        return ask("/api/runs/" + runId + "/checkpoints/latest");
    }

    /** The catalog's entry of one checkpoint (any state), or none; empty when the catalog did not answer in time. */
    Optional<Answer> checkpoint(String checkpointId) throws InterruptedException {
        return ask("/api/checkpoints/" + checkpointId);
    }

    private Optional<Answer> ask(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retry.catalogRetryMillis());
        for (int failures = 1; ; failures++) {
            String problem;
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    JsonNode n = Json.mapper().readTree(r.body());
                    return Optional.of(new Answer(new Entry(n.path("id").asText(), n.path("prefix").asText(),
                            n.path("state").asText()), null));
                }
                if (r.statusCode() < 500) {
                    return Optional.of(new Answer(null, "HTTP " + r.statusCode() + ": " + new String(r.body())));
                }
                problem = "HTTP " + r.statusCode();
            } catch (IOException e) {
                problem = e.toString();
            }
            long pause = Math.min(retry.backoffMillis(failures),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (pause <= 0) {
                log.println("savepoint: checkpoint-service at " + baseUrl + " did not answer " + path + " within "
                        + retry.catalogRetryMillis() + " ms (" + failures + " tries, last: " + problem + ")");
                return Optional.empty();
            }
            Thread.sleep(pause); // backoff between tries of a service that is down: nothing to wait on instead
        }
    }

    /** Takes a lease so that retention cannot delete the checkpoint while it downloads; best effort. */
    void lease(String checkpointId, String holder) {
        post("/api/checkpoints/" + checkpointId + "/lease", Map.of("ttlSeconds", 600, "holder", holder));
    }

    /** Marks a checkpoint CORRUPT in the catalog at once, so that {@code latest} moves to the one before. */
    boolean reportCorrupt(String checkpointId, String fileName, String message) {
        return post("/api/checkpoints/" + checkpointId + "/corrupt", Map.of("fileName", fileName,
                "message", message));
    }

    private boolean post(String path, Map<String, Object> body) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
