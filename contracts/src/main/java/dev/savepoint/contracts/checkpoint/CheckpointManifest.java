package dev.savepoint.contracts.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code manifest.json}, written last: a checkpoint without one does not exist. Lists every other file of the
 * checkpoint with its size and SHA-256. A command run's checkpoint also has a {@link StateLayout} ({@code layout}):
 * where each file lies in the trainer's output folder; the built-in trainer's has none.
 */
public record CheckpointManifest(
        int formatVersion,
        @JsonProperty(required = true) String checkpointId,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) long step,
        Instant createdAt,
        @JsonProperty(required = true) List<ManifestFile> files,
        StateLayout layout) {

    public static final String FILE_NAME = "manifest.json";
    public static final int FORMAT_VERSION = 1;

    public CheckpointManifest {
        formatVersion = formatVersion == 0 ? FORMAT_VERSION : formatVersion;
        createdAt = createdAt == null ? Instant.now() : createdAt;
        files = List.copyOf(files);
    }

    /** A built-in trainer's manifest (no layout). */
    public CheckpointManifest(int formatVersion, String checkpointId, String runId, int attempt, long step,
            Instant createdAt, List<ManifestFile> files) {
        this(formatVersion, checkpointId, runId, attempt, step, createdAt, files, null);
    }

    /** The object-key prefix of a checkpoint: {@code runs/{runId}/checkpoints/{step}-{attempt}/}. */
    public static String prefix(String runId, long step, int attempt) {
        return "runs/" + runId + "/checkpoints/" + String.format("%010d", step) + "-" + attempt + "/";
    }

    /** A checkpoint id that is the same wherever it is computed: a name-based UUID of (run, step, attempt). */
    public static String checkpointId(String runId, long step, int attempt) {
        return UUID.nameUUIDFromBytes((runId + "/" + step + "/" + attempt).getBytes()).toString();
    }

    public long totalBytes() {
        return files.stream().mapToLong(ManifestFile::size).sum();
    }
}
