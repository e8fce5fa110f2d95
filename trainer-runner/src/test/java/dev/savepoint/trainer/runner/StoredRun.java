package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.stack.TestStack;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the object store holds for one run: its checkpoint folders and their files, read with a real S3 client. */
final class StoredRun {

    private final MinioClient client;
    private final String bucket;
    private final String runId;

    StoredRun(String runId) {
        Map<String, String> c = TestStack.shared().serviceConfig();
        this.client = MinioClient.builder().endpoint(c.get("savepoint.s3.endpoint"))
                .credentials(c.get("savepoint.s3.access-key"), c.get("savepoint.s3.secret-key")).build();
        this.bucket = c.get("savepoint.s3.bucket");
        this.runId = runId;
    }

    /** Folder prefix -> the names of the files in it, in key order. */
    TreeMap<String, List<String>> folders() {
        TreeMap<String, List<String>> folders = new TreeMap<>();
        try {
            for (var r : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix("runs/" + runId + "/checkpoints/").recursive(true).build())) {
                String key = r.get().objectName();
                int slash = key.lastIndexOf('/');
                folders.computeIfAbsent(key.substring(0, slash + 1), k -> new ArrayList<>()).add(key.substring(slash + 1));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list run " + runId + ": " + e, e);
        }
        return folders;
    }

    List<CheckpointManifest> manifests() {
        List<CheckpointManifest> manifests = new ArrayList<>();
        folders().forEach((prefix, files) -> {
            if (files.contains(CheckpointManifest.FILE_NAME)) {
                manifests.add(Json.read(read(prefix + CheckpointManifest.FILE_NAME), CheckpointManifest.class));
            }
        });
        return manifests;
    }

    /** True when some folder has files but no manifest yet: a checkpoint is being uploaded. */
    boolean uploadInProgress() {
        return folders().values().stream().anyMatch(f -> !f.contains(CheckpointManifest.FILE_NAME));
    }

    byte[] read(String key) {
        try (var in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + key + ": " + e, e);
        }
    }

    /** Deletes every object of one checkpoint folder, as retention does. */
    void deleteFolder(String prefix) {
        List<String> files = folders().getOrDefault(prefix, List.of());
        try {
            for (String file : files) {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + file).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + prefix + ": " + e, e);
        }
    }

    void write(String key, byte[] bytes) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + key + ": " + e, e);
        }
    }
}
