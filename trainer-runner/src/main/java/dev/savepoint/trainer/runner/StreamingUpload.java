package dev.savepoint.trainer.runner;

import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * Streams one object of known size to S3, hashing its bytes in order as they are read: one PUT up to a part's size,
 * else a multipart upload whose parts are sent in parallel. At most {@code parallelism} part buffers exist, so memory
 * stays at parallelism x part size whatever the object's size; the reader waits for a free buffer (backpressure).
 */
final class StreamingUpload {

    private final MinioAsyncClient client;
    private final ExecutorService pool;
    private final TransferSettings settings;
    private final String bucket;

    StreamingUpload(MinioAsyncClient client, ExecutorService pool, TransferSettings settings, String bucket) {
        this.client = client;
        this.pool = pool;
        this.settings = settings;
        this.bucket = bucket;
    }

    /** Uploads {@code size} bytes of {@code in} as {@code key}; returns their SHA-256 (hex). */
    String put(String key, long size, InputStream in) throws Exception {
        MessageDigest sha = CheckpointFiles.sha256();
        int partSize = (int) settings.partSize();
        if (size <= partSize) {
            byte[] bytes = readExactly(in, new byte[(int) size], (int) size, key);
            sha.update(bytes);
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), size, -1).build()).get();
            return HexFormat.of().formatHex(sha.digest());
        }
        String uploadId = client.createMultipartUploadAsync(bucket, null, key, null, null).get().result().uploadId();
        try {
            List<CompletableFuture<Part>> parts = sendParts(key, uploadId, size, in, sha);
            Part[] sent = new Part[parts.size()];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = parts.get(i).get();
            }
            client.completeMultipartUploadAsync(bucket, null, key, uploadId, sent, null, null).get();
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private List<CompletableFuture<Part>> sendParts(String key, String uploadId, long size, InputStream in,
            MessageDigest sha) throws Exception {
        int partSize = (int) settings.partSize();
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(settings.parallelism());
        int allocated = 0;
        List<CompletableFuture<Part>> parts = new ArrayList<>();
        for (long offset = 0; offset < size; offset += partSize) {
            throwIfAnyFailed(parts);
            byte[] buffer = free.poll();
            if (buffer == null && allocated < settings.parallelism()) {
                buffer = new byte[partSize];
                allocated++;
            } else if (buffer == null) {
                buffer = free.take();
            }
            int length = (int) Math.min(partSize, size - offset);
            readExactly(in, buffer, length, key);
            sha.update(buffer, 0, length);
            int number = parts.size() + 1;
            byte[] data = buffer;
            parts.add(CompletableFuture.supplyAsync(() -> sendPart(key, uploadId, number, data, length), pool)
                    .whenComplete((part, error) -> free.add(data)));
        }
        return parts;
    }

    private Part sendPart(String key, String uploadId, int number, byte[] data, int length) {
        try {
            String etag = client.uploadPartAsync(bucket, null, key, data, length, uploadId, number, null, null).get()
                    .etag();
            return new Part(number, etag);
        } catch (ExecutionException e) {
            throw new IllegalStateException("part " + number + " of s3://" + bucket + "/" + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("part " + number + " of s3://" + bucket + "/" + key + ": " + e, e);
        }
    }

    private static void throwIfAnyFailed(List<CompletableFuture<Part>> parts) throws Exception {
        for (CompletableFuture<Part> part : parts) {
            if (part.isCompletedExceptionally()) {
                part.get(); // throws its failure
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            client.abortMultipartUploadAsync(bucket, null, key, uploadId, null, null).get();
        } catch (Exception ignored) {
            // an upload left open costs storage until the bucket's lifecycle rule ends it; the caller retries anyway
        }
    }

    private static byte[] readExactly(InputStream in, byte[] buffer, int length, String key) throws IOException {
        int read = in.readNBytes(buffer, 0, length);
        if (read != length) {
            throw new IOException("the bytes of " + key + " ended " + (length - read) + " bytes short of their "
                    + "declared size");
        }
        return buffer;
    }
}
