package dev.savepoint.checkpoint.storage;

import io.minio.MinioClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Alternative;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Test seam: the real object store, except that a delete a test arms fails once, like an S3 outage mid-GC. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FlakyObjectStore extends ObjectStore {

    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();

    @Inject
    public FlakyObjectStore(MinioClient client) {
        super(client);
    }

    protected FlakyObjectStore() {
    }

    /** The next delete of this key throws; later ones reach S3. */
    public void failNextDeleteOf(String key) {
        failOnce.add(key);
    }

    @Override
    public void delete(String bucket, String key) {
        if (failOnce.remove(key)) {
            throw new StorageException("injected S3 failure deleting s3://" + bucket + "/" + key);
        }
        super.delete(bucket, key);
    }
}
