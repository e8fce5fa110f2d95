package dev.savepoint.stack.chaos;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.stack.StackSettings;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The checkpoint objects in the stack's S3 bucket, read the way a restore reads them: every byte hashed. */
final class StoredObjects {

    private final MinioClient s3;
    private final String bucket;

    StoredObjects(StackSettings settings) {
        this.s3 = MinioClient.builder().endpoint(settings.s3Endpoint())
                .credentials(settings.s3AccessKey(), settings.s3SecretKey()).build();
        this.bucket = settings.bucket();
    }

    /** Every object key under {@code runs/{runId}/}. */
    List<String> keys(String runId) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix("runs/" + runId + "/")
                    .recursive(true).build())) {
                keys.add(r.get().objectName());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the objects of run " + runId + ": " + e, e);
        }
        return keys;
    }

    /** What is wrong with the checkpoint under {@code prefix}: its manifest or a file missing or not as it says. */
    List<String> problems(String checkpointId, String prefix) {
        List<String> problems = new ArrayList<>();
        CheckpointManifest manifest;
        try (InputStream in = open(prefix + CheckpointManifest.FILE_NAME)) {
            manifest = Json.mapper().readValue(in, CheckpointManifest.class);
        } catch (Exception e) {
            return List.of("checkpoint " + checkpointId + ": manifest unreadable (" + e.getMessage() + ")");
        }
        for (ManifestFile f : manifest.files()) {
            try (InputStream in = open(prefix + f.name())) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                long size = 0;
                for (int n; (n = in.read(buffer)) > 0; size += n) {
                    sha.update(buffer, 0, n);
                }
                String hash = HexFormat.of().formatHex(sha.digest());
                if (size != f.size() || !hash.equals(f.sha256())) {
                    problems.add("checkpoint " + checkpointId + ": " + f.name() + " has " + size + " bytes, SHA-256 "
                            + hash + "; its manifest says " + f.size() + " bytes, " + f.sha256());
                }
            } catch (Exception e) {
                problems.add("checkpoint " + checkpointId + ": " + f.name() + " unreadable (" + e.getMessage() + ")");
            }
        }
        return problems;
    }

    private InputStream open(String key) throws Exception {
        return s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
    }
}
