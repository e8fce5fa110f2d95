package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import java.util.List;
import java.util.Map;
import java.time.Instant;

/** An attempt finished uploading a checkpoint, manifest last; checkpoint-service verifies and commits it. */
public record CheckpointWritten(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) String checkpointId,
        @JsonProperty(required = true) long step,
        Integer epoch,
        Long samplesSeen,
        @JsonProperty(required = true) String bucket,
        @JsonProperty(required = true) String prefix,
        @JsonProperty(required = true) List<ManifestFile> files,
        Map<String, Double> metrics) implements SavepointEvent {

    public static final String TYPE = "CheckpointWritten";

    public CheckpointWritten {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(checkpointId, "checkpointId");
        Envelope.require(bucket, "bucket");
        Envelope.require(prefix, "prefix");
        files = List.copyOf(Envelope.require(files, "files"));
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static CheckpointWritten of(String runId, int attempt, String checkpointId, long step, Integer epoch,
            Long samplesSeen, String bucket, String prefix, List<ManifestFile> files, Map<String, Double> metrics) {
        return new CheckpointWritten(null, TYPE, runId, attempt, null, 0, checkpointId, step, epoch, samplesSeen,
                bucket, prefix, files, metrics);
    }

    /** Bytes of every file, the manifest included. */
    public long totalBytes() {
        return files.stream().mapToLong(ManifestFile::size).sum();
    }
}
