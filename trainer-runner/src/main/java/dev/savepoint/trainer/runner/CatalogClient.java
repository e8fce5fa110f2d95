package dev.savepoint.trainer.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.cluster.ServiceUrls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * checkpoint-service as an attempt sees it: the resume point leased when the attempt starts (lease-newest, or a lease
 * on a named checkpoint), lease releases and corrupt reports. When it answers it is the authority (lease-newest takes
 * the newest COMMITTED checkpoint and leases it in one transaction, so retention cannot delete it before the download
 * is done); an unreachable service or a 5xx is retried with backoff for {@link RetryPolicy#catalogRetryMillis()}.
 */
public final class CatalogClient {

    /** How long a resume's lease lasts if the attempt dies before releasing it: long enough for a slow download. */
    static final int LEASE_TTL_SECONDS = 600;

    /** A checkpoint as the catalog knows it. */
    record Entry(String checkpointId, String prefix, String state) {
        boolean committed() {
            return "COMMITTED".equals(state);
        }
    }

    /**
     * The catalog's answer: {@code status} 2xx with the checkpoint ({@code entry}, when the call returns one) and the
     * lease taken ({@code leaseId}, when the call takes one); otherwise the 4xx status and the catalog's message.
     */
    record Answer(int status, Entry entry, String leaseId, String message, String reason) {
        Answer(int status, Entry entry, String leaseId, String message) {
            this(status, entry, leaseId, message, null);
        }

        boolean ok() {
            return status / 100 == 2;
        }

        /** The catalog has never heard of the run (its consumer may be behind, or its database new). */
        boolean runUnknown() {
            return status == 404 && "RUN_UNKNOWN".equals(reason);
        }
    }

    private final ServiceUrls catalog;
    private final RetryPolicy retry;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The attempt's API token (role trainer) from its launcher, sent with every call. */
    private final String token = System.getenv(dev.savepoint.contracts.runtime.AttemptEnvironment.API_TOKEN);

    public CatalogClient(String baseUrl, RetryPolicy retry, PrintStream log) {
        this.catalog = ServiceUrls.parse(dev.savepoint.contracts.runtime.AttemptEnvironment.CHECKPOINT_URL, baseUrl);
        this.retry = retry;
        this.log = log;
    }

    /**
     * Lease-newest: the run's newest COMMITTED checkpoint with a lease on it, or a 404 answer when the run has none;
     * empty when the catalog did not answer in time.
     */
    Optional<Answer> leaseNewest(String runId, String holder) throws InterruptedException {
        return call("/api/runs/" + runId + "/checkpoints/latest/lease", leaseBody(holder));
    }

    /** A lease on one named checkpoint (409 when it is not COMMITTED, 404 when unknown); empty when no answer. */
    Optional<Answer> lease(String checkpointId, String holder) throws InterruptedException {
        return call("/api/checkpoints/" + checkpointId + "/lease", leaseBody(holder));
    }

    /** The catalog's entry of one checkpoint (any state), or none; empty when the catalog did not answer in time. */
    Optional<Answer> checkpoint(String checkpointId) throws InterruptedException {
        return call("/api/checkpoints/" + checkpointId, null);
    }

    private static Map<String, Object> leaseBody(String holder) {
        return Map.of("ttlSeconds", LEASE_TTL_SECONDS, "holder", holder);
    }

    /** GET (no body) or POST, retried while the service does not answer or answers 5xx. */
    private Optional<Answer> call(String path, Map<String, Object> body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retry.catalogRetryMillis());
        for (int failures = 1; ; failures++) {
            String problem;
            try {
                var request = authorized(HttpRequest.newBuilder(catalog.uri(path)))
                        .timeout(Duration.ofSeconds(5));
                if (body != null) {
                    request.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
                }
                HttpResponse<byte[]> r = catalog.send(http, request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    return Optional.of(answer(r.statusCode(), Json.mapper().readTree(r.body())));
                }
                if (r.statusCode() < 500) {
                    return Optional.of(new Answer(r.statusCode(), null, null,
                            "HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8),
                            reason(r.body())));
                }
                problem = "HTTP " + r.statusCode();
            } catch (IOException e) {
                problem = e.toString();
            }
            long pause = Math.min(retry.backoffMillis(failures),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (pause <= 0) {
                log.println("savepoint: checkpoint-service at " + catalog + " did not answer " + path + " within "
                        + retry.catalogRetryMillis() + " ms (" + failures + " tries, last: " + problem + ")");
                return Optional.empty();
            }
            Thread.sleep(pause); // backoff between tries of a service that is down: nothing to wait on instead
        }
    }

    /** The machine-readable {@code reason} of a refusal, when its body has one. */
    private static String reason(byte[] body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            return n != null && n.hasNonNull("reason") ? n.get("reason").asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A checkpoint body, a lease body, or lease-newest's {@code {checkpoint, lease}}. */
    private static Answer answer(int status, JsonNode n) {
        JsonNode checkpoint = n.has("checkpoint") ? n.get("checkpoint") : n;
        JsonNode lease = n.has("lease") ? n.get("lease") : n;
        Entry entry = checkpoint.has("prefix") ? new Entry(checkpoint.path("id").asText(),
                checkpoint.path("prefix").asText(), checkpoint.path("state").asText()) : null;
        String leaseId = lease.hasNonNull("leaseId") ? lease.get("leaseId").asText() : null;
        return new Answer(status, entry, leaseId, null);
    }

    /**
     * Releases a resume's lease once the checkpoint is restored, so that retention need not wait for it to expire;
     * best effort: a lease not released expires after {@link #LEASE_TTL_SECONDS}.
     */
    void release(String leaseId) {
        if (leaseId == null) {
            return;
        }
        send(HttpRequest.newBuilder(catalog.uri("/api/leases/" + leaseId)).DELETE());
    }

    /** Marks a checkpoint CORRUPT in the catalog at once, so that lease-newest moves to the one before. */
    boolean reportCorrupt(String checkpointId, String fileName, String message) {
        return send(HttpRequest.newBuilder(catalog.uri("/api/checkpoints/" + checkpointId + "/corrupt"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                        Json.write(Map.of("fileName", fileName, "message", message)))));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private boolean send(HttpRequest.Builder request) {
        try {
            HttpResponse<Void> r = catalog.send(http, authorized(request).timeout(Duration.ofSeconds(5)).build(),
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
