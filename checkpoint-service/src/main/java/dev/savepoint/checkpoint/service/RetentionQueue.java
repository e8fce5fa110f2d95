package dev.savepoint.checkpoint.service;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Retention after a commit, off the checkpoint consumer's path (its S3 deletes and events would otherwise hold up
 * the next batch): runs that committed something wait here, each once however many of its checkpoints were committed
 * meanwhile, for one worker that applies retention to them in turn. A run whose turn is lost with the process is
 * collected by the periodic collection ({@code savepoint.gc.interval}).
 */
@ApplicationScoped
public class RetentionQueue {

    private final GcExecutor gc;
    private final Set<String> pending = new LinkedHashSet<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "retention-after-commit");
        t.setDaemon(true);
        return t;
    });
    private boolean draining;

    public RetentionQueue(GcExecutor gc) {
        this.gc = gc;
    }

    /** Queues the runs for retention; returns at once. */
    public void submit(Collection<String> runIds) {
        synchronized (pending) {
            pending.addAll(runIds);
            if (draining || pending.isEmpty()) {
                return;
            }
            draining = true;
        }
        worker.execute(this::drain);
    }

    private void drain() {
        while (true) {
            List<String> runs;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    draining = false;
                    return;
                }
                runs = List.copyOf(pending);
                pending.clear();
            }
            runs.forEach(gc::collectQuietly);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
