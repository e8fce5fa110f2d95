package dev.savepoint.trainer.runner;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempt's view of the object store: upload checkpoint files, read them back, list a run's manifests. Not final
 * so that a test can wrap the real store to stall or interrupt a call at the point it means.
 */
public class CheckpointStorage {

    /** Multipart above this size; the client uploads parts of this size. */
    static final long PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;
    private final String bucket;

    public CheckpointStorage(RunnerConfig config) {
        this.client = MinioClient.builder().endpoint(config.s3Endpoint())
                .credentials(config.s3AccessKey(), config.s3SecretKey()).build();
        long timeout = config.retry().s3TimeoutMillis();
        client.setTimeout(timeout, timeout, timeout); // a stopped server must fail a request so the writer retries
        this.bucket = config.bucket();
    }

    public String bucket() {
        return bucket;
    }

    public void upload(String key, Path file) throws IOException {
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString(),
                    PART_SIZE).build());
        } catch (Exception e) {
            throw new IOException("upload of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    public InputStream open(String bucketName, String key) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucketName).object(key).build());
        } catch (Exception e) {
            throw new IOException("cannot read s3://" + bucketName + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public byte[] read(String key) throws IOException {
        try (InputStream in = open(bucket, key)) {
            return in.readAllBytes();
        }
    }

    /** Keys of every object under {@code prefix} whose name ends with {@code suffix}. */
    public List<String> list(String prefix, String suffix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (var result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                if (item.objectName().endsWith(suffix)) {
                    keys.add(item.objectName());
                }
            }
            return keys;
        } catch (Exception e) {
            throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
    }
}
