package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Detects silent deaths: a running attempt without a heartbeat for {@code missedHeartbeats} periods (plus grace),
 * or a launched one that never started, fails with HEARTBEAT_LOST or LAUNCH_FAILED.
 */
@ApplicationScoped
public class LeaseKeeper {

    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final RunMachine machine;
    private final SchedulerConfig config;

    public LeaseKeeper(RunRepository runs, AttemptRepository attempts, RunMachine machine, SchedulerConfig config) {
        this.runs = runs;
        this.attempts = attempts;
        this.machine = machine;
        this.config = config;
    }

    @Transactional
    public List<AttemptEntity.Key> liveAttempts() {
        return attempts.live().stream().map(a -> a.id).toList();
    }

    /** Fails the attempt if its lease expired by {@code now}; re-checked under the run's lock. */
    @Transactional
    public void expireIfLost(AttemptEntity.Key key, Instant now) {
        var run = runs.lock(key.runId()).orElse(null);
        AttemptEntity a = attempts.findById(key);
        if (run == null || a == null || !a.state.live() || run.currentAttempt != a.attempt()) {
            return;
        }
        if (a.state == AttemptState.RUNNING) {
            Duration lease = Duration.ofMillis((long) a.heartbeatMillis * config.missedHeartbeats())
                    .plus(config.leaseGrace());
            if (a.lastHeartbeatAt.plus(lease).isBefore(now)) {
                machine.fail(run, a.attempt(), FailureReason.HEARTBEAT_LOST, "no heartbeat for "
                        + Duration.between(a.lastHeartbeatAt, now).toMillis() + " ms (lease " + lease.toMillis()
                        + " ms); last step " + a.lastStep, null, null, now);
            }
        } else if (a.launchedAt.plus(config.launchTimeout()).isBefore(now)) {
            machine.fail(run, a.attempt(), FailureReason.LAUNCH_FAILED, "attempt did not start within "
                    + config.launchTimeout().toSeconds() + " s of its launch", null, null, now);
        }
    }
}
