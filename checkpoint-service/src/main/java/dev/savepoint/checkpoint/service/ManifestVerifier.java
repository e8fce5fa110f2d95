package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.storage.ObjectStore;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.ParamsDigest;
import dev.savepoint.contracts.checkpoint.ShardNames;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.RejectReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a written checkpoint against what is stored: the manifest exists and says what the event says, and every
 * file exists with its size (and, below the configured size, its SHA-256). Every file is hashed as it streams, never
 * held whole; a sharded model's shards are hashed in order so that their data sections give the parameter hash.
 */
@ApplicationScoped
public class ManifestVerifier {

    /** The file set of a built-in checkpoint's parameters, when sharded ({@code model-00001-of-0000n.safetensors}). */
    private static final String SHARDED_MODEL = "model";

    private final ObjectStore store;
    private final CheckpointConfig config;

    public ManifestVerifier(ObjectStore store, CheckpointConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Why the checkpoint cannot be committed. */
    public record Problem(RejectReason reason, String message) {
    }

    /**
     * What verifying a checkpoint found: the first problem (empty when it is sound) and, for a sound built-in
     * checkpoint whose files were hashed, the SHA-256 of the parameters stored in its {@code model.safetensors}.
     */
    public record Checked(Optional<Problem> problem, String paramsSha256) {

        static Checked of(Optional<Problem> problem) {
            return new Checked(problem, null);
        }
    }

    /** Verifies the checkpoint and computes its parameter hash on the way. */
    public Checked check(CheckpointWritten event) {
        String bucket = config.s3().bucket();
        if (!bucket.equals(event.bucket())) {
            return Checked.of(problem(RejectReason.MANIFEST_MISMATCH, "bucket '" + event.bucket()
                    + "' is not the checkpoint bucket '" + bucket + "'"));
        }
        String runFolder = "runs/" + event.runId() + "/";
        if (!event.prefix().startsWith(runFolder) || !event.prefix().endsWith("/") || event.prefix().contains("..")) {
            return Checked.of(problem(RejectReason.MANIFEST_MISMATCH, "prefix '" + event.prefix()
                    + "' is not a folder under '" + runFolder + "'"));
        }
        if (!config.verify().enabled()) {
            // trust the event: for stores verified elsewhere, and the ingest benchmark
            return Checked.of(Optional.empty());
        }
        String manifestKey = event.prefix() + CheckpointManifest.FILE_NAME;
        Optional<CheckpointManifest> manifest;
        try {
            manifest = readManifest(bucket, manifestKey);
        } catch (IllegalArgumentException e) {
            return Checked.of(problem(RejectReason.MANIFEST_MISSING, "manifest " + manifestKey + " is unreadable: "
                    + e.getMessage()));
        }
        if (manifest.isEmpty()) {
            return Checked.of(problem(RejectReason.MANIFEST_MISSING, "no manifest at s3://" + bucket + "/"
                    + manifestKey));
        }
        Optional<Problem> mismatch = compare(event, manifest.get());
        // a command run's files (layout present) are the trainer's own: their parameters are not ours to hash
        boolean builtIn = manifest.get().layout() == null;
        return mismatch.isPresent() ? Checked.of(mismatch) : checkObjects(bucket, event, builtIn);
    }

    private Optional<CheckpointManifest> readManifest(String bucket, String key) {
        Optional<InputStream> in = store.open(bucket, key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(Json.read(stream.readAllBytes(), CheckpointManifest.class));
        } catch (IOException e) {
            throw new ObjectStore.StorageException("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Problem> compare(CheckpointWritten event, CheckpointManifest manifest) {
        if (!manifest.checkpointId().equals(event.checkpointId()) || !manifest.runId().equals(event.runId())
                || manifest.attempt() != event.attempt() || manifest.step() != event.step()) {
            return problem(RejectReason.MANIFEST_MISMATCH, String.format(
                    "manifest names checkpoint %s of run %s (step %d, attempt %d) but the event names %s of run %s "
                            + "(step %d, attempt %d)", manifest.checkpointId(), manifest.runId(), manifest.step(),
                    manifest.attempt(), event.checkpointId(), event.runId(), event.step(), event.attempt()));
        }
        Map<String, ManifestFile> listed = byName(manifest);
        Map<String, ManifestFile> announced = event.files().stream()
                .collect(Collectors.toMap(ManifestFile::name, Function.identity(), (a, b) -> a, TreeMap::new));
        if (!listed.equals(announced)) {
            return problem(RejectReason.MANIFEST_MISMATCH, "manifest lists " + describe(listed)
                    + " but the event announces " + describe(announced));
        }
        return Optional.empty();
    }

    private Checked checkObjects(String bucket, CheckpointWritten event, boolean builtIn) {
        boolean fullHash = event.totalBytes() <= config.verify().fullHashMaxBytes();
        String paramsSha256 = null;
        // a sharded model's parameter hash runs over its shards in order, which name order gives
        var shards = new ParamsDigest.Sharded();
        boolean sharded = builtIn && !ShardNames.shardsOf(SHARDED_MODEL, event.files()).isEmpty();
        for (ManifestFile file : event.files().stream().sorted(Comparator.comparing(ManifestFile::name)).toList()) {
            String key = event.prefix() + file.name();
            Optional<Long> size = store.size(bucket, key);
            if (size.isEmpty()) {
                return Checked.of(problem(RejectReason.MANIFEST_MISMATCH, "manifest lists " + file.name()
                        + " but s3://" + bucket + "/" + key + " does not exist"));
            }
            if (size.get() != file.size()) {
                return Checked.of(problem(RejectReason.HASH_MISMATCH, file.name() + " has " + size.get()
                        + " bytes but the manifest says " + file.size()));
            }
            if (fullHash && sharded && isModelShard(file)) {
                String actual = store.shardSha256(bucket, key, shards);
                if (!actual.equals(file.sha256())) {
                    return Checked.of(problem(RejectReason.HASH_MISMATCH, file.name() + " has SHA-256 " + actual
                            + " but the manifest says " + file.sha256()));
                }
            } else if (fullHash) {
                var digests = store.digests(bucket, key);
                String actual = digests.fileSha256();
                if (!actual.equals(file.sha256())) {
                    return Checked.of(problem(RejectReason.HASH_MISMATCH, file.name() + " has SHA-256 " + actual
                            + " but the manifest says " + file.sha256()));
                }
                if (builtIn && file.name().equals(ParamsDigest.MODEL_FILE)) {
                    paramsSha256 = digests.paramsSha256();
                }
            }
        }
        return new Checked(Optional.empty(), fullHash && sharded ? shards.paramsSha256() : paramsSha256);
    }

    private static boolean isModelShard(ManifestFile file) {
        return ShardNames.parse(file.name()).map(s -> s.base().equals(SHARDED_MODEL)).orElse(false);
    }

    private static Map<String, ManifestFile> byName(CheckpointManifest manifest) {
        return manifest.files().stream()
                .collect(Collectors.toMap(ManifestFile::name, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    private static String describe(Map<String, ManifestFile> files) {
        return files.values().stream().map(f -> f.name() + "(" + f.size() + " B, " + f.sha256().substring(0, 12) + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static Optional<Problem> problem(RejectReason reason, String message) {
        return Optional.of(new Problem(reason, message));
    }
}
