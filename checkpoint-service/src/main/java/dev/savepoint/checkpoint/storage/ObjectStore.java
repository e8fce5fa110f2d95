package dev.savepoint.checkpoint.storage;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The service's only door to S3: stat, read, hash, list and delete checkpoint objects. */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;

    @Inject
    public ObjectStore(MinioClient client) {
        this.client = client;
    }

    /** For CDI client proxies of subclasses (test seams); never used to do work. */
    protected ObjectStore() {
        this(null);
    }

    /** An object as a listing shows it. */
    public record StoredObject(String key, long size, Instant lastModified) {
    }

    /** The object's size, or empty when it does not exist. */
    public Optional<Long> size(String bucket, String key) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("stat", bucket, key, e);
        } catch (Exception e) {
            throw failure("stat", bucket, key, e);
        }
    }

    /** Streams the object; the caller closes the stream. Empty when it does not exist. */
    public Optional<InputStream> open(String bucket, String key) {
        try {
            return Optional.of(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("read", bucket, key, e);
        } catch (Exception e) {
            throw failure("read", bucket, key, e);
        }
    }

    /**
     * SHA-256 of the whole object and, when it is a safetensors file, of its data section (contracts'
     * {@link dev.savepoint.contracts.checkpoint.ParamsDigest}), in one streamed pass.
     */
    public dev.savepoint.contracts.checkpoint.ParamsDigest.Digests digests(String bucket, String key) {
        try (InputStream in = open(bucket, key).orElseThrow(
                () -> new StorageException("object s3://" + bucket + "/" + key + " vanished while being hashed"))) {
            return dev.savepoint.contracts.checkpoint.ParamsDigest.of(in);
        } catch (IOException e) {
            throw failure("hash", bucket, key, e);
        }
    }

    /** SHA-256 of one shard of a sharded model, whose data section goes on into {@code params}, in one streamed pass. */
    public String shardSha256(String bucket, String key, dev.savepoint.contracts.checkpoint.ParamsDigest.Sharded params) {
        try (InputStream in = open(bucket, key).orElseThrow(
                () -> new StorageException("object s3://" + bucket + "/" + key + " vanished while being hashed"))) {
            return params.shard(in);
        } catch (IOException e) {
            throw failure("hash", bucket, key, e);
        }
    }

    /** Deletes the object; one that is already gone counts as deleted (S3 answers success). */
    public void delete(String bucket, String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            if (!isMissing(e)) {
                throw failure("delete", bucket, key, e);
            }
        } catch (Exception e) {
            throw failure("delete", bucket, key, e);
        }
    }

    /** Every object under the prefix, recursively. */
    public List<StoredObject> list(String bucket, String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (var result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    Instant modified = item.lastModified() == null ? Instant.now() : item.lastModified().toInstant();
                    objects.add(new StoredObject(item.objectName(), item.size(), modified));
                }
            }
        } catch (Exception e) {
            throw failure("list", bucket, prefix, e);
        }
        return objects;
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code);
    }

    private static StorageException failure(String operation, String bucket, String key, Exception e) {
        return new StorageException("cannot " + operation + " s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }

    /** An S3 operation failed for a reason other than a missing object. */
    public static class StorageException extends RuntimeException {
        public StorageException(String message) {
            super(message);
        }

        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
