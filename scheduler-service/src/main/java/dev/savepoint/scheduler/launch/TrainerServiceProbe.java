package dev.savepoint.scheduler.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.security.Bearer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Asks trainer-service workers whether an attempt is alive: {@code GET {url}/api/attempts/{runId}/{attempt}}.
 * 200 with state QUEUED or RUNNING is ALIVE, SUCCEEDED, FAILED or CANCELLED is GONE; a 404 from every worker asked
 * is GONE (none holds it); any worker that could not be asked makes the answer UNKNOWN unless another one says
 * ALIVE or GONE. It asks the attempt's own supervisor when its AttemptStarted named one, otherwise every configured
 * worker. Short timeouts: callers are never inside a transaction, but a tick waits for the answer.
 */
public class TrainerServiceProbe {

    private static final Set<String> ALIVE = Set.of("QUEUED", "RUNNING");
    private static final Set<String> GONE = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final List<String> workers;
    private final Duration timeout;
    private final HttpClient http;
    private final java.util.Optional<String> token;

    /**
     * @param workers base URLs of the trainer-service workers asked when an attempt names no supervisor
     * @param timeout connect and request timeout of each call
     */
    public TrainerServiceProbe(List<String> workers, Duration timeout) {
        this(workers, timeout, java.util.Optional.empty());
    }

    /** As above, sending {@code token} (the scheduler's service token) with every probe. */
    public TrainerServiceProbe(List<String> workers, Duration timeout, java.util.Optional<String> token) {
        this.token = token;
        this.workers = List.copyOf(workers);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Liveness probe(String runId, int attempt, String supervisorUrl) {
        List<String> asked = supervisorUrl == null || supervisorUrl.isBlank() ? workers : List.of(supervisorUrl);
        List<String> unreachable = new ArrayList<>();
        for (String url : asked) {
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            URI uri = URI.create(base + "/api/attempts/" + runId + "/" + attempt);
            try {
                HttpResponse<byte[]> r = http.send(Bearer.authorize(HttpRequest.newBuilder(uri), token).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 404) {
                    continue;
                }
                if (r.statusCode() != 200) {
                    unreachable.add(base + " answered " + r.statusCode());
                    continue;
                }
                JsonNode body = Json.mapper().readTree(r.body());
                String state = body.path("state").asText("");
                String where = "trainer-service " + base + " reports it " + state;
                if (ALIVE.contains(state)) {
                    return Liveness.alive(where + pid(body));
                }
                if (GONE.contains(state)) {
                    return Liveness.gone(where + (body.path("exitCode").isNumber()
                            ? " (exit code " + body.path("exitCode").asInt() + ")" : ""));
                }
                unreachable.add(base + " answered an unknown state '" + state + "'");
            } catch (IOException e) {
                unreachable.add(base + " unreachable (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Liveness.unknown("interrupted while asking " + base);
            }
        }
        if (unreachable.isEmpty()) {
            return Liveness.gone("no trainer-service knows attempt " + attempt + " of " + runId + " (404 from "
                    + String.join(", ", asked) + ")");
        }
        return Liveness.unknown("trainer-service could not be asked about attempt " + attempt + " of " + runId + ": "
                + String.join("; ", unreachable));
    }

    private static String pid(JsonNode body) {
        return body.path("pid").isNumber() ? " (pid " + body.path("pid").asLong() + ")" : "";
    }
}
