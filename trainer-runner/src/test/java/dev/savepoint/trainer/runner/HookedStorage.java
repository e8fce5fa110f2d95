package dev.savepoint.trainer.runner;

import java.io.IOException;
import java.io.InputStream;

/**
 * The real S3 store with a hook before each upload, so that a test can stall, interrupt or fail exactly the upload
 * it means (by key) instead of hoping a background thread is at some point at some moment.
 */
final class HookedStorage extends CheckpointStorage {

    /** Runs on the uploading thread before the real upload; may block, throw, or interrupt that thread. */
    interface Hook {
        void beforeUpload(String key) throws IOException, InterruptedException;
    }

    private volatile Hook hook = key -> { };

    HookedStorage(RunnerConfig config) {
        super(config);
    }

    void hook(Hook hook) {
        this.hook = hook;
    }

    @Override
    public String put(String key, long size, InputStream in) throws IOException {
        try {
            hook.beforeUpload(key);
        } catch (InterruptedException e) {
            throw new IOException("upload of " + key + " interrupted in the test hook", e);
        }
        return super.put(key, size, in);
    }
}
