package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.cluster.ServiceUrls;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The CLI's HTTP client of scheduler-service and checkpoint-service: sends the stored API token, and turns an answer
 * other than the expected one into an {@link ApiException} carrying the API's own message and the CLI's exit code.
 */
final class ApiClient {

    /** Where the APIs are and the token to send. */
    record Endpoints(String scheduler, String checkpoints, String token) {
    }

    /** A refused or failed call: the message to print and the exit code ({@link ApiCli#EXIT_REFUSED} etc.). */
    static final class ApiException extends RuntimeException {
        final int exitCode;

        ApiException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Endpoints endpoints;
    private final ServiceUrls scheduler;
    private final ServiceUrls checkpoints;

    /** Each endpoint may list replicas separated by commas: a call goes on to the next when one is down. */
    ApiClient(Endpoints endpoints) {
        this.endpoints = endpoints;
        try {
            this.scheduler = ServiceUrls.parse("SAVEPOINT_SCHEDULER_URL", endpoints.scheduler());
            this.checkpoints = ServiceUrls.parse("SAVEPOINT_CHECKPOINT_URL", endpoints.checkpoints());
        } catch (IllegalArgumentException e) {
            throw new ApiException(e.getMessage(), ApiCli.EXIT_FAILURE);
        }
    }

    JsonNode scheduler(String method, String path, byte[] body) {
        return json(send(scheduler, method, path, body));
    }

    JsonNode checkpoints(String method, String path, byte[] body) {
        return json(send(checkpoints, method, path, body));
    }

    /** A file of a checkpoint, streamed; the caller closes it. */
    HttpResponse<InputStream> download(String path) {
        HttpResponse<InputStream> r = exchange(checkpoints, "GET", path, null,
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() / 100 != 2) {
            try (InputStream in = r.body()) {
                throw refusal(checkpoints, r.statusCode(), in.readAllBytes());
            } catch (IOException e) {
                throw new ApiException("download of " + path + " answered " + r.statusCode(), ApiCli.EXIT_REFUSED);
            }
        }
        return r;
    }

    private byte[] send(ServiceUrls base, String method, String path, byte[] body) {
        HttpResponse<byte[]> r = exchange(base, method, path, body, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw refusal(base, r.statusCode(), r.body());
        }
        return r.body();
    }

    private <T> HttpResponse<T> exchange(ServiceUrls base, String method, String path, byte[] body,
            HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + endpoints.token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return base.send(http, request.build(), handler);
        } catch (IOException e) {
            throw new ApiException("cannot reach " + base + " (is ./savepoint up running?): " + e.getMessage(),
                    ApiCli.EXIT_UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", ApiCli.EXIT_FAILURE);
        }
    }

    /** The API's own message ({@code {"message": ...}}), and 4 for a refusal (4xx), 5 for a server failure. */
    private static ApiException refusal(ServiceUrls base, int status, byte[] body) {
        String message = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw body is the message
        }
        return new ApiException(base + " answered " + status + ": " + message,
                status / 100 == 4 ? ApiCli.EXIT_REFUSED : ApiCli.EXIT_UNAVAILABLE);
    }

    private static JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? Json.mapper().nullNode() : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new ApiException("the API answered something that is not JSON: " + e.getMessage(),
                    ApiCli.EXIT_FAILURE);
        }
    }
}
