package dev.savepoint.stack.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What a chaos run will inject and when, drawn from a seed alone: the same seed, duration, count and kinds give the
 * same faults at the same offsets, so that a run can be replayed.
 *
 * @param seed     the seed every draw comes from
 * @param faults   the faults in the order of their offsets
 */
public record ChaosPlan(long seed, List<Planned> faults) {

    /** One fault: its kind, when it is due (from the start) and how long its outage lasts (0 for a kill). */
    public record Planned(int number, FaultKind kind, Duration at, Duration outage, long pick) {
    }

    /**
     * Draws {@code count} faults at offsets spread over {@code window} from {@code seed}; outages last 3 s up to
     * {@code longestOutage}; kinds outside {@code allowed} are never drawn.
     */
    public static ChaosPlan draw(long seed, Duration window, int count, Duration longestOutage, Set<FaultKind> allowed) {
        if (count < 1 || allowed.isEmpty()) {
            throw new IllegalArgumentException("a chaos plan needs at least one fault and one kind, got " + count
                    + " faults of " + allowed);
        }
        Random random = new Random(seed);
        List<FaultKind> kinds = List.copyOf(EnumSet.copyOf(allowed));
        int total = kinds.stream().mapToInt(k -> k.weight).sum();
        long windowMillis = window.toMillis();
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = (long) (random.nextDouble() * windowMillis);
        }
        java.util.Arrays.sort(offsets);
        long outageMillis = Math.max(3000, longestOutage.toMillis());
        List<Planned> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FaultKind kind = weighted(kinds, total, random.nextInt(total));
            long outage = kind == FaultKind.ATTEMPT_KILLED || kind == FaultKind.SERVICE_KILLED ? 0
                    : shortest(kind) + (long) (random.nextDouble() * Math.max(0, outageMillis - shortest(kind)));
            faults.add(new Planned(i + 1, kind, Duration.ofMillis(offsets[i]), Duration.ofMillis(outage),
                    random.nextLong()));
        }
        return new ChaosPlan(seed, List.copyOf(faults));
    }

    /** A pause must outlast the heartbeat lease and the probe of the paused worker for the attempt to be a zombie. */
    private static long shortest(FaultKind kind) {
        return kind == FaultKind.SERVICE_PAUSED ? 10_000 : 3000;
    }

    private static FaultKind weighted(List<FaultKind> kinds, int total, int draw) {
        int at = draw;
        for (FaultKind k : kinds) {
            if (at < k.weight) {
                return k;
            }
            at -= k.weight;
        }
        throw new IllegalStateException("draw " + draw + " beyond the total weight " + total);
    }
}
