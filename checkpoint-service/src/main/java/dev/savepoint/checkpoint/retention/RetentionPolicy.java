package dev.savepoint.checkpoint.retention;

import dev.savepoint.contracts.spec.RetentionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Decides which checkpoints of one run to delete under a {@link RetentionSpec}: a pure, deterministic function. */
public final class RetentionPolicy {

    private static final int UNRANKED = Integer.MAX_VALUE;

    private RetentionPolicy() {
    }

    /**
     * Selects the committed checkpoints of one run to delete. Rows in any other state are ignored: never
     * deleted, never counted. "Newest" means highest step, then attempt, then createdAt, so checkpoints
     * arriving out of order or from a resumed attempt cannot make an old one look new.
     *
     * <p>A committed checkpoint replaced by a later attempt's at the same step ({@link Replacements})
     * does not count: it is never the newest, never among keepLast, keepBest or keepEverySteps, and
     * it is deleted (reason {@value RetentionDecision#REPLACED}) unless it is pinned or leased.
     *
     * <p>A committed checkpoint is kept by the first rule it matches: newest; pinned; a run was forked
     * from it; leased by a restore; among the {@code keepLast} newest; among the {@code keepBest} best by {@code metric}
     * ({@code mode} min or max; a missing, NaN or infinite value never ranks, ties go to the newer);
     * step a multiple of {@code keepEverySteps} (0 is off). Everything else is deleted.
     *
     * <p>Then, if the kept bytes exceed {@code maxTotalBytes}, kept checkpoints are given up until they
     * fit: those kept by keepEverySteps first (oldest first), then by keepBest (worst first), then by
     * keepLast (oldest first). Newest, pinned, fork-base and leased ones are never given up, so they
     * alone may exceed the budget.
     *
     * @throws IllegalArgumentException if the spec is out of range (keepLast &lt; 1, negative counts, bad mode)
     */
    public static RetentionDecision select(RetentionSpec policy, List<CheckpointView> checkpoints) {
        RetentionSettings settings = RetentionSettings.of(Objects.requireNonNull(policy, "policy"));
        List<CheckpointView> oldestFirst = Objects.requireNonNull(checkpoints, "checkpoints").stream()
                .filter(CheckpointView::isCommitted)
                .sorted(CheckpointView.OLDEST_FIRST)
                .toList();
        Map<String, String> replacedBy = Replacements.of(oldestFirst);
        List<CheckpointView> counted = oldestFirst.stream().filter(view -> !replacedBy.containsKey(view.id())).toList();
        Map<String, Integer> bestRanks = rankByMetric(settings, counted);
        List<ByteBudget.Kept> kept = new ArrayList<>();
        for (int i = 0; i < counted.size(); i++) {
            CheckpointView view = counted.get(i);
            int bestRank = bestRanks.getOrDefault(view.id(), UNRANKED);
            int newestRank = counted.size() - 1 - i;
            firstMatchingRule(settings, view, newestRank, bestRank)
                    .ifPresent(rule -> kept.add(new ByteBudget.Kept(view, rule, bestRank)));
        }
        oldestFirst.stream().filter(view -> replacedBy.containsKey(view.id())).forEach(view -> heldRule(view)
                .ifPresent(rule -> kept.add(new ByteBudget.Kept(view, rule, UNRANKED))));
        Set<String> overBudget = ByteBudget.overflow(settings.maxTotalBytes(), kept);
        return decide(oldestFirst, kept, overBudget, replacedBy);
    }

    /** What keeps a checkpoint that no count-based rule may keep: a pin, a fork from it or a restore's lease. */
    private static Optional<RetentionRule> heldRule(CheckpointView view) {
        if (view.pinned()) {
            return Optional.of(RetentionRule.PINNED);
        }
        if (view.forkBase()) {
            return Optional.of(RetentionRule.FORK_BASE);
        }
        return view.leased() ? Optional.of(RetentionRule.LEASED) : Optional.empty();
    }

    private static Optional<RetentionRule> firstMatchingRule(
            RetentionSettings settings, CheckpointView view, int newestRank, int bestRank) {
        if (newestRank == 0) {
            return Optional.of(RetentionRule.NEWEST);
        }
        Optional<RetentionRule> held = heldRule(view);
        if (held.isPresent()) {
            return held;
        } else if (newestRank < settings.keepLast()) {
            return Optional.of(RetentionRule.KEEP_LAST);
        } else if (bestRank < settings.keepBest()) {
            return Optional.of(RetentionRule.KEEP_BEST);
        } else if (settings.keepEverySteps() > 0 && view.step() % settings.keepEverySteps() == 0) {
            return Optional.of(RetentionRule.KEEP_EVERY_STEPS);
        }
        return Optional.empty();
    }

    /** Rank 0 is the best value of the metric; checkpoints without a finite value get no rank. */
    private static Map<String, Integer> rankByMetric(RetentionSettings settings, List<CheckpointView> oldestFirst) {
        Comparator<CheckpointView> byValue =
                Comparator.comparingDouble(view -> view.finiteMetric(settings.metric()).getAsDouble());
        Comparator<CheckpointView> bestFirst = (settings.higherIsBetter() ? byValue.reversed() : byValue)
                .thenComparing(CheckpointView.OLDEST_FIRST.reversed());
        List<CheckpointView> ranked = oldestFirst.stream()
                .filter(view -> view.finiteMetric(settings.metric()).isPresent())
                .sorted(bestFirst)
                .toList();
        Map<String, Integer> ranks = new HashMap<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            ranks.put(ranked.get(rank).id(), rank);
        }
        return ranks;
    }

    private static RetentionDecision decide(List<CheckpointView> oldestFirst, List<ByteBudget.Kept> kept,
            Set<String> overBudget, Map<String, String> replacedBy) {
        Map<String, RetentionRule> keptBy = new HashMap<>();
        kept.forEach(k -> keptBy.put(k.view().id(), k.reason()));
        List<String> toDelete = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (CheckpointView view : oldestFirst) {
            RetentionRule rule = keptBy.get(view.id());
            if (rule == null || overBudget.contains(view.id())) {
                toDelete.add(view.id());
                reasons.put(view.id(), rule != null ? RetentionDecision.OVER_MAX_TOTAL_BYTES
                        : replacedBy.containsKey(view.id()) ? RetentionDecision.REPLACED
                        : RetentionDecision.BEYOND_KEEP_LAST);
            } else {
                reasons.put(view.id(), rule.label());
            }
        }
        return new RetentionDecision(toDelete, reasons, replacedBy);
    }
}
