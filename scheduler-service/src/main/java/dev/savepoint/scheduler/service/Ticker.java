package dev.savepoint.scheduler.service;

import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.messaging.RunEventPublisher;
import dev.savepoint.scheduler.repository.RunRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** The scheduler's clock: launches runs whose backoff is over, expires lost leases, sends pending launches. */
@ApplicationScoped
public class Ticker {

    private static final Logger LOG = Logger.getLogger(Ticker.class);

    private final RunRepository runs;
    private final RunService service;
    private final LeaseKeeper leases;
    private final LaunchDispatcher dispatcher;
    private final Launcher launcher;
    private final RunEventPublisher events;

    public Ticker(RunRepository runs, RunService service, LeaseKeeper leases, LaunchDispatcher dispatcher,
            Launcher launcher, RunEventPublisher events) {
        this.runs = runs;
        this.service = service;
        this.leases = leases;
        this.dispatcher = dispatcher;
        this.launcher = launcher;
        this.events = events;
    }

    @Scheduled(every = "${savepoint.scheduler.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = Instant.now();
        for (String runId : due(now)) {
            guarded(() -> service.launchIfDue(runId, now));
        }
        for (var key : leases.liveAttempts()) {
            guarded(() -> leases.expireIfLost(key, now));
        }
        guarded(dispatcher::dispatchPending);
        guarded(() -> launcher.unreportedFailures().forEach(events::publish));
    }

    @Transactional
    List<String> due(Instant now) {
        return runs.dueForLaunch(now);
    }

    private static void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("scheduler tick step failed; retried on the next tick", e);
        }
    }
}
