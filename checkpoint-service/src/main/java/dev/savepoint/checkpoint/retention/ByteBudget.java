package dev.savepoint.checkpoint.retention;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Trims the kept checkpoints to {@code maxTotalBytes} by giving up the weakest unprotected ones first;
 * the newest, pinned and leased ones are never given up, so they alone may exceed the budget.
 */
final class ByteBudget {

    /** A checkpoint some rule keeps, with that rule and its rank by the metric (0 is best). */
    record Kept(CheckpointView view, RetentionRule reason, int bestRank) {
    }

    /**
     * Weakest reason first (keepEverySteps, then keepBest, then keepLast); within keepBest the worst
     * metric first, otherwise the oldest first.
     */
    private static final Comparator<Kept> DROP_ORDER = Comparator
            .comparing(Kept::reason, Comparator.<RetentionRule>reverseOrder())
            .thenComparingInt(kept -> kept.reason() == RetentionRule.KEEP_BEST ? -kept.bestRank() : 0)
            .thenComparing(Kept::view, CheckpointView.OLDEST_FIRST);

    private ByteBudget() {
    }

    /** Ids to give up, in drop order, until the kept bytes fit {@code maxTotalBytes} (none when it is null). */
    static Set<String> overflow(Long maxTotalBytes, List<Kept> kept) {
        Set<String> dropped = new LinkedHashSet<>();
        if (maxTotalBytes == null) {
            return dropped;
        }
        long total = kept.stream().mapToLong(k -> k.view().totalBytes()).sum();
        List<Kept> droppable = kept.stream()
                .filter(k -> !k.reason().protectedFromBudget())
                .sorted(DROP_ORDER)
                .toList();
        for (Kept candidate : droppable) {
            if (total <= maxTotalBytes) {
                break;
            }
            dropped.add(candidate.view().id());
            total -= candidate.view().totalBytes();
        }
        return dropped;
    }
}
