package dev.savepoint.checkpoint.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.cluster.ServiceUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * scheduler-service as the console uses it: runs (restarts, goodput, lineage) and the actions (submit, cancel,
 * resume, fork). Every call carries the signed-in user's own credentials, so the scheduler authorizes each one by
 * the user's role; the service token (role trainer) may not read runs there, and must not act for a viewer. When
 * the scheduler does not answer, reads are empty and the console shows the page without its numbers.
 */
@ApplicationScoped
public class SchedulerClient {

    private static final Logger LOG = Logger.getLogger(SchedulerClient.class);

    private final CheckpointConfig.Console config;
    private final HttpClient http;
    private final ServiceUrls scheduler;

    public SchedulerClient(CheckpointConfig config) {
        this.config = config.console();
        this.scheduler = ServiceUrls.parse("savepoint.console.scheduler-url", this.config.schedulerUrl());
        this.http = HttpClient.newBuilder().connectTimeout(this.config.schedulerTimeout()).build();
    }

    /** What the scheduler answered to an action: its status and body (its message on a refusal). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The API's message, or what went wrong reaching it. */
        public String message() {
            return body != null && body.hasNonNull("message") ? body.get("message").asText()
                    : "scheduler-service answered " + status;
        }
    }

    /** The scheduler's view of a run, or empty (unknown there, not allowed, or the scheduler did not answer). */
    public Optional<JsonNode> run(String runId, String authorization) {
        return Optional.ofNullable(runs(java.util.List.of(runId), authorization).get(runId));
    }

    /** The scheduler's view of several runs, asked in parallel; runs it did not answer for are missing. */
    public Map<String, JsonNode> runs(Collection<String> runIds, String authorization) {
        Map<String, CompletableFuture<HttpResponse<byte[]>>> calls = new HashMap<>();
        for (String id : runIds) {
            calls.put(id, scheduler.sendAsync(http, request("/api/runs/" + encode(id), authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        Map<String, JsonNode> out = new HashMap<>();
        calls.forEach((id, call) -> {
            try {
                HttpResponse<byte[]> r = call.get();
                if (r.statusCode() == 200) {
                    out.put(id, Json.read(r.body(), JsonNode.class));
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.debugf("scheduler-service did not answer for run %s: %s", id, e.toString());
            }
        });
        return out;
    }

    /** POSTs a JSON body (or none) to the scheduler's API. */
    public Answer post(String path, byte[] json, String authorization) {
        HttpRequest.Builder request = request(path, authorization).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json));
        try {
            HttpResponse<byte[]> r = scheduler.send(http, request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = null;
            try {
                body = r.body().length == 0 ? null : Json.read(r.body(), JsonNode.class);
            } catch (RuntimeException notJson) {
                body = null;
            }
            return new Answer(r.statusCode(), body);
        } catch (IOException e) {
            return new Answer(503, Json.mapper().createObjectNode().put("message",
                    "scheduler-service at " + scheduler + " did not answer: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, Json.mapper().createObjectNode().put("message", "interrupted"));
        }
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(scheduler.uri(path))
                .timeout(config.schedulerTimeout()).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
