package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.events.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Goodput accounting of one run: a pure function of what the scheduler recorded about its attempts (when each was
 * launched, started and ended, the step it resumed from and the furthest step it reached, when it caught up with the
 * step its predecessors had reached) and of when the run stopped and was resumed by a user. Which interval counts as
 * what is defined in docs/architecture.md, "Goodput"; every number of the API and the metrics comes from here.
 */
public final class Goodput {

    private Goodput() {
    }

    /**
     * One attempt as recorded: {@code startedAt} null if it never started, {@code endedAt} null while it lives;
     * {@code lastStep} the furthest step it reported; {@code caughtUpAt} when it first reported a step at or past the
     * furthest step any earlier attempt had reached (null while it is still re-training those steps).
     */
    public record AttemptRecord(int attempt, Instant launchedAt, Instant startedAt, Instant endedAt,
            Instant lastHeartbeatAt, FailureReason cause, boolean failed, Long resumeStep, Long lastStep,
            Instant caughtUpAt) {

        public AttemptRecord {
            Objects.requireNonNull(launchedAt, "launchedAt");
        }

        /**
         * When it stopped training: its recorded end, except after a silent death (HEARTBEAT_LOST), where it is
         * its last heartbeat (the time until the failure was detected is the relaunch's); now while it lives.
         */
        Instant trainingEnd(Instant now) {
            if (endedAt == null) {
                return now;
            }
            if (cause == FailureReason.HEARTBEAT_LOST && lastHeartbeatAt != null && startedAt != null) {
                return latest(startedAt, earliest(lastHeartbeatAt, endedAt));
            }
            return endedAt;
        }
    }

    /** The run stopped (SUCCEEDED, GAVE_UP, CANCELLED) at {@code at}; {@code resumedAt} when a user resumed it. */
    public record Stop(Instant at, Instant resumedAt) {
    }

    /** What one attempt cost and earned, in seconds; {@code lostSteps}: the steps its failure threw away. */
    public record AttemptAccount(int attempt, double startupSeconds, double relaunchWaitSeconds,
            double trainingSeconds, double recomputeSeconds, long lostSteps) {
    }

    /** The run's totals; {@code goodput} = useful training / wall time, from 0 to 1 (0 before any time passed). */
    public record RunAccount(double goodput, double wallSeconds, double usefulSeconds, double trainingSeconds,
            double startupSeconds, double relaunchWaitSeconds, double recomputeSeconds, long lostSteps,
            List<AttemptAccount> attempts) {
    }

    /**
     * Accounts a run created at {@code createdAt}, as of {@code now}.
     *
     * @param newestCommittedStep the newest committed step of the run (null: none), the resume point a failed
     *                            attempt with no successor yet is measured against
     */
    public static RunAccount of(Instant createdAt, List<AttemptRecord> attempts, List<Stop> stops,
            Long newestCommittedStep, Instant now) {
        List<AttemptRecord> ordered = attempts.stream().sorted(Comparator.comparingInt(AttemptRecord::attempt))
                .toList();
        List<AttemptAccount> accounts = new ArrayList<>();
        long furthestBefore = -1;
        Instant previousEnd = null;
        for (int i = 0; i < ordered.size(); i++) {
            AttemptRecord a = ordered.get(i);
            Instant end = a.trainingEnd(now);
            Instant waitEnd = a.startedAt() != null ? a.startedAt() : end;
            Instant resumedByUser = resumeBetween(stops, previousEnd, a.launchedAt());
            boolean startup = previousEnd == null || resumedByUser != null;
            Instant waitStart = previousEnd == null ? createdAt : resumedByUser != null ? resumedByUser : previousEnd;
            double wait = seconds(waitStart, waitEnd);
            double training = a.startedAt() == null ? 0 : seconds(a.startedAt(), end);
            double recompute = recompute(a, furthestBefore, end, training);
            long lost = lostSteps(a, i + 1 < ordered.size() ? ordered.get(i + 1) : null, newestCommittedStep);
            accounts.add(new AttemptAccount(a.attempt(), startup ? wait : 0, startup ? 0 : wait, training, recompute,
                    lost));
            if (a.lastStep() != null) {
                furthestBefore = Math.max(furthestBefore, a.lastStep());
            }
            previousEnd = end;
        }
        return totals(wall(createdAt, stops, now), accounts);
    }

    /** Re-training: from its start until it caught up with the furthest step reached before it, if it resumed short of it. */
    private static double recompute(AttemptRecord a, long furthestBefore, Instant end, double training) {
        if (a.startedAt() == null || furthestBefore <= resumePoint(a)) {
            return 0;
        }
        Instant until = a.caughtUpAt() == null ? end : earliest(a.caughtUpAt(), end);
        return Math.min(training, seconds(a.startedAt(), until));
    }

    /** A failed attempt threw away the steps past the point its successor resumed from (or would resume from). */
    private static long lostSteps(AttemptRecord a, AttemptRecord next, Long newestCommittedStep) {
        if (!a.failed() || a.lastStep() == null) {
            return 0;
        }
        long resumedFrom = next != null && next.startedAt() != null ? resumePoint(next)
                : newestCommittedStep == null ? 0 : newestCommittedStep;
        return Math.max(0, a.lastStep() - resumedFrom);
    }

    private static long resumePoint(AttemptRecord a) {
        return a.resumeStep() == null ? 0 : a.resumeStep();
    }

    /** The user's resume that launched an attempt after the run had stopped, if there was one. */
    private static Instant resumeBetween(List<Stop> stops, Instant previousEnd, Instant launchedAt) {
        if (previousEnd == null) {
            return null;
        }
        return stops.stream().map(Stop::resumedAt).filter(Objects::nonNull)
                .filter(r -> !r.isAfter(launchedAt) && !r.isBefore(previousEnd))
                .max(Comparator.naturalOrder()).orElse(null);
    }

    /** Wall time: from creation until now, less the time the run sat stopped before a user resumed it. */
    private static double wall(Instant createdAt, List<Stop> stops, Instant now) {
        double total = 0;
        Instant activeSince = createdAt;
        for (Stop stop : stops.stream().sorted(Comparator.comparing(Stop::at)).toList()) {
            if (activeSince == null) {
                continue; // a second stop without a resume in between cannot happen; ignore it
            }
            total += seconds(activeSince, stop.at());
            activeSince = stop.resumedAt();
        }
        return activeSince == null ? total : total + seconds(activeSince, now);
    }

    private static RunAccount totals(double wall, List<AttemptAccount> accounts) {
        double training = accounts.stream().mapToDouble(AttemptAccount::trainingSeconds).sum();
        double recompute = accounts.stream().mapToDouble(AttemptAccount::recomputeSeconds).sum();
        double useful = training - recompute;
        double goodput = wall <= 0 ? 0 : Math.max(0, Math.min(1, useful / wall));
        return new RunAccount(goodput, wall, useful, training,
                accounts.stream().mapToDouble(AttemptAccount::startupSeconds).sum(),
                accounts.stream().mapToDouble(AttemptAccount::relaunchWaitSeconds).sum(), recompute,
                accounts.stream().mapToLong(AttemptAccount::lostSteps).sum(), List.copyOf(accounts));
    }

    private static double seconds(Instant from, Instant to) {
        return from == null || to == null || !to.isAfter(from) ? 0 : Duration.between(from, to).toNanos() / 1e9;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
