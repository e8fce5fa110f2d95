package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.messaging.RunEventPublisher;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes the deaths the launcher found (a Kubernetes Job evicted, OOM-killed, deleted) to savepoint.runs as the
 * attempt's AttemptFailed, where the scheduler's consumer applies them like any attempt's own report: when the
 * launcher signals (its watch saw a change), on a thread of its own, so a failure is acted on at once; and on every
 * tick, the safety net. Never inside a transaction. Signals that come while a round is queued are folded into it.
 *
 * <p>The launcher returns each failure once (it marks it reported first); one whose publishing failed is kept and
 * published again in the next round, with the same event id, so the consumer applies it once.
 */
@ApplicationScoped
@Startup
public class LauncherFailures {

    private static final Logger LOG = Logger.getLogger(LauncherFailures.class);

    private final Launcher launcher;
    private final RunEventPublisher events;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "launcher-failures");
        t.setDaemon(true);
        return t;
    });
    /** Whether a round is queued and not started yet: a signal then adds nothing. */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Failures the launcher returned whose publishing failed, oldest first. */
    private final Deque<AttemptFailed> unpublished = new ArrayDeque<>();

    public LauncherFailures(Launcher launcher, RunEventPublisher events) {
        this.launcher = launcher;
        this.events = events;
    }

    @PostConstruct
    void register() {
        launcher.onFailures(this::signal);
        signal(); // what the watch saw before this registration
    }

    /** The launcher may have a failure to report: a round runs soon on this bean's thread. Returns at once. */
    void signal() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                queued.set(false); // a signal from now on queues another round
                try {
                    report();
                } catch (RuntimeException e) {
                    LOG.warn("reporting the launcher's failures failed; retried on the next signal or tick", e);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.set(false); // shutting down
        }
    }

    /** Publishes what was not published yet, then what the launcher found since; the tick calls it too. */
    public synchronized void report() {
        launcher.unreportedFailures().forEach(unpublished::addLast);
        while (!unpublished.isEmpty()) {
            events.publish(unpublished.peekFirst()); // throws: kept for the next round
            unpublished.removeFirst();
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
