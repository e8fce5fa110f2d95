package dev.savepoint.checkpoint.storage;

import io.minio.MinioClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Alternative;
import java.io.InputStream;
import java.net.ConnectException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test seam: the real object store, except that a delete a test arms fails once (an S3 outage mid-GC), reads a test
 * arms fail a number of times with a connection error (an S3 outage during verification), and reads a test holds
 * wait until it releases them (a slow S3).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FlakyObjectStore extends ObjectStore {

    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> readFailuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> readFailuresThrown = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> readsWaiting = new ConcurrentHashMap<>();

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

    /** The next {@code times} reads of this key fail as if S3 did not answer; later ones reach S3. */
    public void failNextReadsOf(String key, int times) {
        readFailuresLeft.put(key, new AtomicInteger(times));
        readFailuresThrown.put(key, new AtomicInteger());
    }

    /** How many injected read failures of this key were thrown so far. */
    public int readFailuresThrown(String key) {
        return readFailuresThrown.getOrDefault(key, new AtomicInteger()).get();
    }

    /** Reads of this key wait until {@link #release} (at most 5 minutes, so that a failing test ends). */
    public void holdReadsOf(String key) {
        held.put(key, new CountDownLatch(1));
        readsWaiting.put(key, new AtomicInteger());
    }

    public void release(String key) {
        CountDownLatch latch = held.remove(key);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** How many reads of this key are waiting for {@link #release} now. */
    public int readsWaiting(String key) {
        return readsWaiting.getOrDefault(key, new AtomicInteger()).get();
    }

    @Override
    public Optional<InputStream> open(String bucket, String key) {
        awaitRelease(key);
        AtomicInteger left = readFailuresLeft.get(key);
        if (left != null && left.getAndDecrement() > 0) {
            readFailuresThrown.get(key).incrementAndGet();
            throw new StorageException("cannot read s3://" + bucket + "/" + key,
                    new ConnectException("injected: S3 unreachable"));
        }
        return super.open(bucket, key);
    }

    private void awaitRelease(String key) {
        CountDownLatch latch = held.get(key);
        if (latch == null) {
            return;
        }
        readsWaiting.get(key).incrementAndGet();
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readsWaiting.get(key).decrementAndGet();
        }
    }

    @Override
    public void delete(String bucket, String key) {
        if (failOnce.remove(key)) {
            throw new StorageException("injected S3 failure deleting s3://" + bucket + "/" + key);
        }
        super.delete(bucket, key);
    }
}
