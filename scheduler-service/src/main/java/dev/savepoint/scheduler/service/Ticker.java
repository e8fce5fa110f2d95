package dev.savepoint.scheduler.service;

import dev.savepoint.scheduler.launch.Launcher;
import dev.savepoint.scheduler.messaging.ConsumerVisibility;
import dev.savepoint.scheduler.messaging.RunOwnership;
import dev.savepoint.scheduler.repository.RunRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The scheduler's clock: launches runs whose backoff is over, asks the launcher about attempts whose lease expired
 * on what the scheduler saw and decides on them, sends pending launches, publishes the failures the launcher found
 * (the safety net of {@link LauncherFailures}, which publishes them when the launcher signals). Calls out (probes,
 * commands) never inside a transaction. With several replicas each ticks for the runs it owns ({@link RunOwnership}:
 * those whose events it reads), so that a lease is judged only by the replica that sees the run's heartbeats.
 */
@ApplicationScoped
public class Ticker {

    private static final Logger LOG = Logger.getLogger(Ticker.class);

    private final RunRepository runs;
    private final RunService service;
    private final LeaseKeeper leases;
    private final LaunchDispatcher dispatcher;
    private final Launcher launcher;
    private final LauncherFailures failures;
    private final ConsumerVisibility visibility;
    private final RunOwnership ownership;

    public Ticker(RunRepository runs, RunService service, LeaseKeeper leases, LaunchDispatcher dispatcher,
            Launcher launcher, LauncherFailures failures, ConsumerVisibility visibility, RunOwnership ownership) {
        this.runs = runs;
        this.service = service;
        this.leases = leases;
        this.dispatcher = dispatcher;
        this.launcher = launcher;
        this.failures = failures;
        this.visibility = visibility;
        this.ownership = ownership;
    }

    @Scheduled(every = "${savepoint.scheduler.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = Instant.now();
        for (String runId : due(now)) {
            if (ownership.owns(runId)) {
                guarded(() -> service.launchIfDue(runId, now));
            }
        }
        Visibility.Snapshot seen = visibility.snapshot();
        for (LeaseKeeper.Expired e : expired(seen)) {
            if (!ownership.owns(e.key().runId())) {
                continue; // its events go to another replica, which judges its lease
            }
            guarded(() -> leases.decide(e.key(), launcher.probe(e.key().runId(), e.key().attempt(),
                    e.supervisorUrl()), seen, now));
        }
        guarded(() -> dispatcher.dispatchPending(true, ownership::owns));
        guarded(failures::report); // the safety net of the launcher's own signal
    }

    private List<LeaseKeeper.Expired> expired(Visibility.Snapshot seen) {
        try {
            return leases.expired(seen);
        } catch (RuntimeException e) {
            LOG.warn("looking for expired leases failed; retried on the next tick", e);
            return List.of();
        }
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
