package dev.savepoint.trainer.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.SafetensorsReader;
import dev.savepoint.trainer.engine.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the checkpoint to resume from (the newest with a complete manifest, or a given id), leases it, downloads it
 * and checks every file against the manifest before anything is restored.
 */
final class CheckpointLoader {

    /** A verified checkpoint, ready to restore. */
    record Loaded(CheckpointManifest manifest, Snapshot snapshot, TrainerStateFile state) {
    }

    private final CheckpointStorage storage;
    private final RunnerConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    CheckpointLoader(CheckpointStorage storage, RunnerConfig config) {
        this.storage = storage;
        this.config = config;
    }

    /** The manifest of {@code resumeFrom} ({@code latest} or a checkpoint id), or empty when the run has none. */
    Optional<CheckpointManifest> resolve(String runId, String resumeFrom) throws IOException {
        Optional<CheckpointManifest> fromService = askCatalog(runId, resumeFrom);
        if (fromService.isPresent()) {
            return fromService;
        }
        var manifests = storage.list("runs/" + runId + "/checkpoints/", "/" + CheckpointManifest.FILE_NAME).stream()
                .map(this::readManifest).filter(m -> m.runId().equals(runId));
        if (resumeFrom.equals("latest")) {
            return manifests.max(Comparator.comparingLong(CheckpointManifest::step)
                    .thenComparingInt(CheckpointManifest::attempt));
        }
        return manifests.filter(m -> m.checkpointId().equals(resumeFrom)).findFirst();
    }

    Loaded load(CheckpointManifest manifest) throws IOException, CheckpointCorruptException {
        String prefix = CheckpointManifest.prefix(manifest.runId(), manifest.step(), manifest.attempt());
        Map<String, byte[]> files = new HashMap<>();
        for (ManifestFile f : manifest.files()) {
            files.put(f.name(), downloadVerified(manifest.checkpointId(), prefix, f));
        }
        TrainerStateFile state = Json.read(files.get(TrainerStateFile.FILE_NAME), TrainerStateFile.class);
        Snapshot snapshot = new Snapshot(SafetensorsReader.read(files.get(CheckpointFiles.MODEL)).tensors(),
                SafetensorsReader.read(files.get(CheckpointFiles.OPTIMIZER)).tensors(), state.trainer());
        return new Loaded(manifest, snapshot, state);
    }

    private byte[] downloadVerified(String checkpointId, String prefix, ManifestFile f)
            throws IOException, CheckpointCorruptException {
        byte[] bytes;
        try (InputStream in = storage.open(storage.bucket(), prefix + f.name())) {
            bytes = in.readAllBytes();
        }
        MessageDigest sha = CheckpointFiles.sha256();
        String actual = HexFormat.of().formatHex(sha.digest(bytes));
        if (bytes.length != f.size() || !actual.equals(f.sha256())) {
            throw new CheckpointCorruptException(checkpointId, f.name(), "checkpoint " + checkpointId + " file "
                    + f.name() + " is corrupt: manifest says " + f.size() + " bytes sha256 " + f.sha256()
                    + ", stored object has " + bytes.length + " bytes sha256 " + actual);
        }
        return bytes;
    }

    private CheckpointManifest readManifest(String key) {
        try {
            return Json.read(storage.read(key), CheckpointManifest.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read manifest " + key + ": " + e.getMessage(), e);
        }
    }

    /** Asks checkpoint-service (when it answers) which checkpoint is meant; it knows which ones are committed. */
    private Optional<CheckpointManifest> askCatalog(String runId, String resumeFrom) {
        String path = resumeFrom.equals("latest") ? "/api/runs/" + runId + "/checkpoints/latest"
                : "/api/checkpoints/" + resumeFrom;
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(config.checkpointServiceUrl() + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode n = Json.mapper().readTree(r.body());
            return Optional.of(readManifest(n.path("prefix").asText() + CheckpointManifest.FILE_NAME));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Takes a lease so that retention cannot delete the checkpoint while it downloads; best effort. */
    void lease(CheckpointManifest manifest, String holder) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(config.checkpointServiceUrl() + "/api/checkpoints/"
                    + manifest.checkpointId() + "/lease")).timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\": 600, \"holder\": \"" + holder + "\"}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
            // checkpoint-service down: the download goes on; retention never deletes the newest checkpoint anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
