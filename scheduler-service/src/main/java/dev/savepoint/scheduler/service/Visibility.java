package dev.savepoint.scheduler.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the scheduler could see of {@code savepoint.runs}, the arithmetic leases are judged on (pure: every time is
 * passed in, so tests drive it with their own clock).
 *
 * <p>The consumer reports each record it has processed (applied, or parked in the .dlq as unreadable; a record in
 * transient retry is not processed). A probe, on every tick, reads the end offsets of the partitions assigned to the
 * consumer. The <b>horizon</b> H is the time of the latest probe whose end offsets have all been processed: every
 * event produced before H has been seen. <b>visibleSince</b> V is the start of the current unbroken stretch in which
 * probes succeeded and the horizon kept up with them; a failed probe (broker unreachable, no partition assigned), or
 * a probe not read up to within the lag tolerance, ends the stretch (V = null). At start V is null until a probe made
 * after the start is read up to in time, i.e. until the backlog is read. A probe made before a break never opens a
 * stretch. A lease of length L since t expires only when V != null and H - max(t, V) > L: time the scheduler was
 * down, lagging or disconnected never counts.
 */
public final class Visibility {

    private static final Logger LOG = Logger.getLogger(Visibility.class);

    /** One successful probe: when it was made and the end offsets it read. */
    private record Probe(Instant at, Map<TopicPartition, Long> ends) {
    }

    /**
     * The state a decision is made on.
     *
     * @param horizon      H: every event produced before it was processed; null before the first probe read up to
     * @param visibleSince V: since when the scheduler has been caught up and connected without a break; null now
     * @param blindReason  why V is null (empty while caught up)
     */
    public record Snapshot(Instant horizon, Instant visibleSince, String blindReason) {

        public boolean caughtUp() {
            return visibleSince != null && horizon != null;
        }

        /** How long the scheduler saw, caught up, since {@code since}: H - max(since, V); zero when blind. */
        public Duration seenSince(Instant since) {
            if (!caughtUp()) {
                return Duration.ZERO;
            }
            Instant from = since == null || since.isBefore(visibleSince) ? visibleSince : since;
            return from.isAfter(horizon) ? Duration.ZERO : Duration.between(from, horizon);
        }

        /** True when a lease of {@code lease} taken at {@code since} ran out while the scheduler saw everything. */
        public boolean expired(Instant since, Duration lease) {
            return seenSince(since).compareTo(lease) > 0;
        }
    }

    private final Duration lagTolerance;
    private final Map<TopicPartition, Long> processedUpTo = new HashMap<>(); // next offset to process
    private final List<Probe> pending = new ArrayList<>();
    private Instant horizon;
    private Instant visibleSince;
    private Instant brokenAt;
    private String blindReason;

    /** A scheduler that starts at {@code start}: blind until it has read its backlog. */
    public Visibility(Duration lagTolerance, Instant start) {
        this.lagTolerance = lagTolerance;
        this.brokenAt = start;
        this.blindReason = "started at " + start + "; reading the backlog of savepoint.runs";
    }

    /** The consumer processed the record at {@code offset} (applied it, or parked it as unreadable). */
    public synchronized void processed(TopicPartition partition, long offset, Instant now) {
        processedUpTo.merge(partition, offset + 1, Math::max);
        settle(now);
    }

    /** The partitions of {@code assigned} nothing was processed of in this process yet: they need a baseline. */
    public synchronized Set<TopicPartition> withoutBaseline(Set<TopicPartition> assigned) {
        return assigned.stream().filter(p -> !processedUpTo.containsKey(p))
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * A probe made at {@code at} read {@code ends}, the end offsets of the assigned partitions; {@code baselines}
     * gives, for partitions nothing was processed of in this process yet, the group's committed offset (the
     * conservative start: the consumer resumes from there).
     */
    public synchronized void probed(Instant at, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> baselines,
            Instant now) {
        baselines.forEach(processedUpTo::putIfAbsent);
        pending.add(new Probe(at, Map.copyOf(ends)));
        settle(now);
    }

    /** The probe at {@code at} failed: the scheduler cannot tell what it missed. */
    public synchronized void probeFailed(Instant at, String why) {
        pending.clear();
        blind(at, "cannot see savepoint.runs: " + why);
    }

    public synchronized Snapshot snapshot(Instant now) {
        settle(now);
        return new Snapshot(horizon, visibleSince, visibleSince == null ? blindReason : "");
    }

    private void settle(Instant now) {
        for (var it = pending.iterator(); it.hasNext();) {
            Probe p = it.next();
            if (!readUpTo(p)) {
                continue;
            }
            it.remove();
            horizon = horizon == null || p.at().isAfter(horizon) ? p.at() : horizon;
            boolean inTime = !now.isAfter(p.at().plus(lagTolerance));
            if (!inTime) {
                blind(now, "the consumer read up to the end offsets of " + p.at() + " only at " + now);
            } else if (visibleSince == null && !p.at().isBefore(brokenAt)) {
                visibleSince = p.at();
                LOG.infof("scheduler caught up with savepoint.runs (read to the end offsets of %s): leases are "
                        + "judged again, counting from %s", p.at(), p.at());
            }
        }
        pending.stream().map(Probe::at).min(Instant::compareTo)
                .filter(oldest -> now.isAfter(oldest.plus(lagTolerance)))
                .ifPresent(oldest -> blind(now, "the consumer is more than " + lagTolerance.toMillis()
                        + " ms behind the end offsets of savepoint.runs (not read up to those of " + oldest + ")"));
    }

    private boolean readUpTo(Probe p) {
        return p.ends().entrySet().stream()
                .allMatch(e -> processedUpTo.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void blind(Instant at, String why) {
        if (!at.isBefore(brokenAt)) {
            brokenAt = at;
        }
        if (visibleSince != null) {
            LOG.warnf("scheduler lost sight of savepoint.runs at %s: %s; no lease expires until it has caught up "
                    + "again", at, why);
        }
        visibleSince = null;
        blindReason = why;
    }
}
