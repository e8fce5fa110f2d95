package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.Json;
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
 * checkpoint-service as the scheduler uses it, over HTTP and never inside a transaction: corrupt marks. (The resume
 * point is not asked for here: each attempt leases the newest committed checkpoint itself when it starts.)
 */
@ApplicationScoped
public class CheckpointCatalog {

    private static final Logger LOG = Logger.getLogger(CheckpointCatalog.class);

    private final SchedulerConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public CheckpointCatalog(SchedulerConfig config) {
        this.config = config;
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

    private URI uri(String path) {
        return URI.create(config.checkpointServiceUrl() + path);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
