package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.cluster.ServiceUrls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A small HTTP client of the services' APIs, for the demo and the end-to-end tests. */
public final class SavepointClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceUrls scheduler;
    private final ServiceUrls checkpoints;
    private final List<String> trainers;
    private final String token;

    /** A client that sends the stack's admin API token. */
    public SavepointClient(Services services) {
        this(services, services.adminToken());
    }

    /** A client that sends {@code token} (an API token of any role). */
    public SavepointClient(Services services, String token) {
        this.token = token;
        this.scheduler = ServiceUrls.parse("scheduler-service", services.urls("scheduler-service"));
        this.checkpoints = ServiceUrls.parse("checkpoint-service", services.urls("checkpoint-service"));
        this.trainers = List.of(services.urls("trainer-service").split(","));
    }

    /** The run's newest committed checkpoint in the catalog, if it has one. */
    public Optional<JsonNode> latestCheckpoint(String runId) {
        try {
            return Optional.of(call(HttpRequest.newBuilder(checkpoints.uri("/api/runs/" + runId
                    + "/checkpoints/latest")).GET(), 200));
        } catch (StackException e) {
            return Optional.empty();
        }
    }

    /** Submits a run spec; returns the run id. */
    public String submit(String specJson) {
        JsonNode run = call(HttpRequest.newBuilder(scheduler.uri("/api/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(specJson)), 201);
        return run.path("runId").asText();
    }

    /** Forks a run ({@code body}: checkpointId and optional overrides); returns the new run. */
    public JsonNode fork(String runId, String body) {
        return call(HttpRequest.newBuilder(scheduler.uri("/api/runs/" + runId + "/fork"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 201);
    }

    /** The run's checkpoints in the catalog (the first 500, by step), with their retention. */
    public JsonNode checkpoints(String runId) {
        return call(HttpRequest.newBuilder(checkpoints.uri("/api/runs/" + runId + "/checkpoints?size=500"))
                .GET(), 200).path("items");
    }

    public JsonNode run(String runId) {
        return call(HttpRequest.newBuilder(scheduler.uri("/api/runs/" + runId)).GET(), 200);
    }

    public JsonNode attempts(String runId) {
        return call(HttpRequest.newBuilder(scheduler.uri("/api/runs/" + runId + "/attempts")).GET(), 200);
    }

    /** The pid of a run's attempt process on the trainer-service replica that runs it, while it runs. */
    public Optional<Long> attemptPid(String runId, int attempt) {
        for (String trainer : trainers) {
            try {
                JsonNode a = call(HttpRequest.newBuilder(URI.create(trainer + "/api/attempts/" + runId + "/"
                        + attempt)).GET(), 200);
                if (a.path("state").asText().equals("RUNNING") && a.hasNonNull("pid")) {
                    return Optional.of(a.path("pid").asLong());
                }
            } catch (StackException e) {
                // not on this replica (404), or the replica is down: ask the next
            }
        }
        return Optional.empty();
    }

    /** GET of any API URL of the services (with this client's token); the JSON answer, which must be a 200. */
    public JsonNode get(String url) {
        return call(HttpRequest.newBuilder(URI.create(url)).GET(), 200);
    }

    /** A call to scheduler-service or checkpoint-service fails over between their replicas; others go as they are. */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        for (ServiceUrls service : List.of(scheduler, checkpoints)) {
            String uri = request.uri().toString();
            if (service.bases().stream().anyMatch(uri::startsWith)) {
                return service.send(http, request, HttpResponse.BodyHandlers.ofByteArray());
            }
        }
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode call(HttpRequest.Builder request, int expected) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                    .build();
            HttpResponse<byte[]> r = send(built);
            if (r.statusCode() != expected) {
                throw new StackException(request.build().method() + " " + request.build().uri() + " answered "
                        + r.statusCode() + ": " + new String(r.body()));
            }
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new StackException("cannot reach " + request.build().uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
