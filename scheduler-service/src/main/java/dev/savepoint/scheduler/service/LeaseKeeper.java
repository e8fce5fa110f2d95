package dev.savepoint.scheduler.service;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.launch.Liveness;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Detects silent deaths, judging leases only on what the scheduler could see ({@link Visibility}): a running
 * attempt's lease ({@code missedHeartbeats} heartbeat periods plus grace) expires only when the scheduler was caught
 * up with savepoint.runs for the whole lease since its last heartbeat; a launched attempt's ({@code launchTimeout})
 * likewise, counted from the sending of its launch command. Before it declares a death it asks the launcher (the
 * caller probes, outside any transaction, then {@link #decide} re-checks under the run's lock):
 * <ul>
 * <li>GONE: the attempt fails (HEARTBEAT_LOST, or LAUNCH_FAILED before it started), its end confirmed;
 * <li>UNKNOWN: the same: the lease ran out with the scheduler caught up and nobody can reach the attempt;
 * <li>ALIVE: nothing fails; since when it is alive but silent is recorded (and logged once). Silent for longer than
 * {@code silentAliveLimit} it is stopped through the launcher (cancel, after the commit) and fails with the same
 * reason, its end not confirmed: the next attempt waits until the launcher finds it gone (LaunchDispatcher).
 * </ul>
 * An attempt that reported success has ended; its claim waits for its final checkpoint instead of a lease, for at most
 * {@code claimTimeout}, then fails as UNVERIFIED_SUCCESS whatever its launcher says.
 */
@ApplicationScoped
public class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    /** A live attempt whose lease ran out on the scheduler's horizon: to be asked about, then decided. */
    public record Expired(AttemptEntity.Key key, String supervisorUrl) {
    }

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

    /** Live attempts whose lease expired on what the scheduler saw; none while it is blind. */
    @Transactional
    public List<Expired> expired(Visibility.Snapshot seen) {
        if (!seen.caughtUp()) {
            return List.of();
        }
        return attempts.live().stream().filter(a -> expired(a, seen))
                .map(a -> new Expired(a.id, a.supervisorUrl)).toList();
    }

    /**
     * Decides on an attempt whose lease expired, given what its launcher said; re-checked under the run's lock (a
     * heartbeat may have arrived since).
     */
    @Transactional
    public void decide(AttemptEntity.Key key, Liveness liveness, Visibility.Snapshot seen, Instant now) {
        var run = runs.lock(key.runId()).orElse(null);
        AttemptEntity a = attempts.findById(key);
        if (run == null || a == null || !a.state.live() || run.currentAttempt != a.attempt() || !expired(a, seen)) {
            return;
        }
        if (a.claimedStep != null) {
            machine.fail(run, a.attempt(), FailureReason.UNVERIFIED_SUCCESS, "attempt " + a.attempt()
                    + " reported success at step " + a.claimedStep + ", but no checkpoint at that step was committed or "
                    + "rejected within " + config.claimTimeout().toSeconds() + " s (savepoint.scheduler.claim-timeout) "
                    + "while the scheduler was caught up", null, null, now);
            return;
        }
        boolean running = a.state == AttemptState.RUNNING;
        FailureReason reason = running ? FailureReason.HEARTBEAT_LOST : FailureReason.LAUNCH_FAILED;
        String lost = running
                ? "no heartbeat for " + seen.seenSince(a.lastHeartbeatAt).toMillis() + " ms while the scheduler was "
                        + "caught up with savepoint.runs (lease " + lease(a).toMillis() + " ms); last step " + a.lastStep
                : "attempt did not start within " + lease(a).toSeconds() + " s of its launch while the scheduler was "
                        + "caught up with savepoint.runs";
        switch (liveness.state()) {
            case GONE -> {
                a.endConfirmedAt = now;
                machine.fail(run, a.attempt(), reason, lost + "; the launcher confirms it is gone: "
                        + liveness.detail(), null, null, now);
            }
            case UNKNOWN -> {
                a.endConfirmedAt = now;
                machine.fail(run, a.attempt(), reason, lost + "; the launcher cannot reach it: " + liveness.detail(),
                        null, null, now);
            }
            case ALIVE -> aliveButSilent(run, a, reason, lost, liveness, seen, now);
        }
    }

    private void aliveButSilent(dev.savepoint.scheduler.domain.RunEntity run, AttemptEntity a, FailureReason reason,
            String lost, Liveness liveness, Visibility.Snapshot seen, Instant now) {
        if (a.silentAliveSince == null) {
            a.silentAliveSince = seen.horizon();
            LOG.warnf("attempt %d of %s: %s, but its launcher says it is alive (%s); it keeps running, and is stopped "
                    + "if it stays silent for %s (savepoint.scheduler.silent-alive-limit)", a.attempt(), a.runId(),
                    lost, liveness.detail(), config.silentAliveLimit());
            return;
        }
        Duration silent = seen.seenSince(a.silentAliveSince);
        if (silent.compareTo(config.silentAliveLimit()) <= 0) {
            return;
        }
        String why = lost + "; the launcher says it is alive (" + liveness.detail() + ") but it stayed silent for "
                + silent.toSeconds() + " s more, beyond savepoint.scheduler.silent-alive-limit ("
                + config.silentAliveLimit() + "): stopped through the launcher";
        a.cancelReason = why;
        a.cancelRequestedAt = now; // the cancel goes to the launcher after the commit (AfterCommitCalls)
        machine.fail(run, a.attempt(), reason, why, null, null, now);
        LOG.warnf("attempt %d of %s stopped: %s", a.attempt(), a.runId(), why);
    }

    private boolean expired(AttemptEntity a, Visibility.Snapshot seen) {
        if (a.claimedStep != null) { // it reported success and has ended; its final checkpoint decides (RunEventHandler)
            return a.claimedAt != null && seen.expired(a.claimedAt, config.claimTimeout());
        }
        if (a.state == AttemptState.RUNNING) {
            return seen.expired(a.lastHeartbeatAt, lease(a));
        }
        // A launch command not yet sent (broker down, previous attempt not yet ended) cannot have started anything.
        return a.commandSentAt != null && seen.expired(a.commandSentAt, lease(a));
    }

    private Duration lease(AttemptEntity a) {
        return a.state == AttemptState.RUNNING
                ? Duration.ofMillis((long) a.heartbeatMillis * config.missedHeartbeats()).plus(config.leaseGrace())
                : config.launchTimeout();
    }
}
