package dev.savepoint.trainer.runner;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attempt's view of the object store: stream checkpoint files up (hashed on the way, multipart with parallel
 * parts when large), read them back (whole or by range), list a run's manifests. Not final so that a test can wrap
 * the real store to stall or interrupt a call at the point it means.
 */
public class CheckpointStorage {

    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    private final String bucket;
    private final TransferSettings transfer;
    private final ExecutorService pool;

    public CheckpointStorage(RunnerConfig config) {
        this.client = MinioClient.builder().endpoint(config.s3Endpoint())
                .credentials(config.s3AccessKey(), config.s3SecretKey()).build();
        this.asyncClient = MinioAsyncClient.builder().endpoint(config.s3Endpoint())
                .credentials(config.s3AccessKey(), config.s3SecretKey()).build();
        long timeout = config.retry().s3TimeoutMillis();
        client.setTimeout(timeout, timeout, timeout); // a stopped server must fail a request so the writer retries
        asyncClient.setTimeout(timeout, timeout, timeout);
        this.bucket = config.bucket();
        this.transfer = config.transfer();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(transfer.parallelism(), r -> {
            Thread t = new Thread(r, "s3-transfer-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public String bucket() {
        return bucket;
    }

    public TransferSettings transfer() {
        return transfer;
    }

    /** Uploads a local file (streamed, never read whole into memory); returns its SHA-256. */
    public String upload(String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(key, Files.size(file), in);
        }
    }

    /**
     * Streams {@code size} bytes of {@code in} to {@code key}, hashing them in order as they go; returns their
     * SHA-256 (hex). Above one part the object goes as a multipart upload with parts in parallel.
     */
    public String put(String key, long size, InputStream in) throws IOException {
        try {
            return new StreamingUpload(asyncClient, pool, transfer, bucket).put(key, size, in);
        } catch (IOException e) {
            throw new IOException("upload of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("upload of s3://" + bucket + "/" + key + " failed: " + e, e);
        }
    }

    public InputStream open(String bucketName, String key) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucketName).object(key).build());
        } catch (Exception e) {
            throw new IOException("cannot read s3://" + bucketName + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** {@code length} bytes of {@code key} from {@code offset}: one ranged GET; its headers name the object's size. */
    GetObjectResponse openRange(String key, long offset, long length) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).offset(offset).length(length)
                    .build());
        } catch (Exception e) {
            throw new IOException("cannot read bytes " + offset + " to " + (offset + length) + " of s3://" + bucket
                    + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** A reader of stored safetensors files into tensors, with parallel ranged GETs of the part size. */
    RangedDownload rangedDownload() {
        return new RangedDownload(this, pool, transfer.partSize());
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
