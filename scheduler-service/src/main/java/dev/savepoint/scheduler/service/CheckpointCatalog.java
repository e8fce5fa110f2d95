package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.cluster.ServiceUrls;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.security.Bearer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * checkpoint-service as the scheduler uses it, over HTTP and never inside a transaction: corrupt marks, and the
 * checkpoint a fork starts from (looked up, then held for the fork). (The resume point of a relaunch is not asked for
 * here: each attempt leases the newest committed checkpoint itself when it starts.)
 */
@ApplicationScoped
public class CheckpointCatalog {

    private static final Logger LOG = Logger.getLogger(CheckpointCatalog.class);

    private final SchedulerConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceUrls checkpointService;

    public CheckpointCatalog(SchedulerConfig config) {
        this.config = config;
        this.checkpointService = ServiceUrls.parse("savepoint.scheduler.checkpoint-service-url",
                config.checkpointServiceUrl());
    }

    /**
     * Marks a checkpoint corrupt so that no resume uses it again; true once checkpoint-service has an answer that
     * trying again would not change (marked, or a checkpoint it cannot mark), false when it should be tried again.
     */
    public boolean markCorrupt(String checkpointId, String message) {
        String body = Json.writeString(java.util.Map.of("message", message == null ? "" : message));
        try {
            int status = send(Bearer.authorize(HttpRequest.newBuilder(uri("/api/checkpoints/" + checkpointId + "/corrupt")),
                    config.serviceToken())
                    .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode();
            if (status >= 500) {
                LOG.warnf("checkpoint-service answered %d marking checkpoint %s corrupt; trying again later", status,
                        checkpointId);
                return false;
            }
            if (status >= 300) {
                LOG.warnf("checkpoint-service answered %d marking checkpoint %s corrupt (unknown, or no longer "
                        + "committed); nothing to mark", status, checkpointId);
            }
            return true;
        } catch (IOException e) {
            LOG.warnf("could not mark checkpoint %s corrupt in checkpoint-service (%s); trying again later",
                    checkpointId, e.getMessage());
            return false;
        }
    }

    /** A checkpoint as checkpoint-service shows it (the fields a fork needs). */
    public record CheckpointInfo(String id, String runId, long step, String state) {
    }

    /**
     * The checkpoint {@code checkpointId}, checked as the fork base of run {@code runId}: it exists, belongs to that
     * run and is COMMITTED. Refusals name the request's field {@code checkpointId}.
     */
    public CheckpointInfo forkBase(String checkpointId, String runId) {
        HttpResponse<byte[]> response = call(HttpRequest.newBuilder(uri("/api/checkpoints/" + checkpointId)).GET());
        if (response.statusCode() == 404) {
            throw new IllegalArgumentException("field 'checkpointId': no checkpoint '" + checkpointId + "' in "
                    + "checkpoint-service (" + message(response) + "); list the run's checkpoints with GET "
                    + "/api/runs/" + runId + "/checkpoints on checkpoint-service");
        }
        requireOk(response, checkpointId);
        CheckpointInfo info = Json.read(response.body(), CheckpointInfo.class);
        if (!runId.equals(info.runId())) {
            throw new IllegalArgumentException("field 'checkpointId': checkpoint '" + checkpointId + "' belongs to "
                    + "run '" + info.runId() + "', not to run '" + runId + "'; fork it from that run");
        }
        if (!"COMMITTED".equals(info.state())) {
            throw new ForkConflictException("field 'checkpointId': checkpoint '" + checkpointId + "' is "
                    + info.state() + "; only a COMMITTED checkpoint can be forked from");
        }
        return info;
    }

    /** Has checkpoint-service keep the checkpoint for run {@code childRunId}, checking it again under its locks. */
    public void holdForFork(String checkpointId, String runId, String childRunId) {
        String body = Json.writeString(java.util.Map.of("runId", runId, "childRunId", childRunId));
        HttpResponse<byte[]> response = call(HttpRequest.newBuilder(uri("/api/checkpoints/" + checkpointId
                + "/forks")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() == 409) {
            throw new ForkConflictException("field 'checkpointId': " + message(response));
        }
        if (response.statusCode() == 400 || response.statusCode() == 404) {
            throw new IllegalArgumentException("field 'checkpointId': " + message(response));
        }
        requireOk(response, checkpointId);
    }

    private HttpResponse<byte[]> call(HttpRequest.Builder request) {
        try {
            return send(Bearer.authorize(request, config.serviceToken()).timeout(Duration.ofSeconds(5)).build());
        } catch (IOException e) {
            throw new CatalogUnavailableException("checkpoint-service at " + checkpointService
                    + " did not answer (" + e.getMessage() + "); try again when it is up");
        }
    }

    private void requireOk(HttpResponse<byte[]> response, String checkpointId) {
        if (response.statusCode() / 100 != 2) {
            throw new CatalogUnavailableException("checkpoint-service answered " + response.statusCode()
                    + " for checkpoint '" + checkpointId + "' (" + message(response) + "); try again later");
        }
    }

    private static String message(HttpResponse<byte[]> response) {
        try {
            Object message = Json.read(response.body(), java.util.Map.class).get("message");
            return message == null ? "HTTP " + response.statusCode() : message.toString();
        } catch (RuntimeException e) {
            return "HTTP " + response.statusCode();
        }
    }

    /** The checkpoint cannot be forked from in its state (409). */
    public static final class ForkConflictException extends RuntimeException {
        public ForkConflictException(String message) {
            super(message);
        }
    }

    /** checkpoint-service did not answer, or failed (503). */
    public static final class CatalogUnavailableException extends RuntimeException {
        public CatalogUnavailableException(String message) {
            super(message);
        }
    }

    private URI uri(String path) {
        return checkpointService.uri(path);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return checkpointService.send(http, request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
