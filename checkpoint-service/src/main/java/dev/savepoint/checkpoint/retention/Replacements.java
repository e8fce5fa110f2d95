package dev.savepoint.checkpoint.retention;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which committed checkpoints are replaced: a later attempt that resumed from an older checkpoint writes a step again
 * that an earlier attempt already committed (the earlier attempt's last commit landed after the later one had chosen
 * its resume point). Per step the newest row (highest attempt, then creation time) is the one a resume would use;
 * every other committed row at that step is replaced by it.
 */
public final class Replacements {

    private Replacements() {
    }

    /** Replaced checkpoint id to the id of the checkpoint that replaces it; committed rows only. */
    public static Map<String, String> of(Collection<CheckpointView> checkpoints) {
        Map<Long, CheckpointView> newestPerStep = checkpoints.stream().filter(CheckpointView::isCommitted)
                .collect(Collectors.toMap(CheckpointView::step, v -> v,
                        (a, b) -> CheckpointView.OLDEST_FIRST.compare(a, b) >= 0 ? a : b));
        Map<String, String> replacedBy = new HashMap<>();
        checkpoints.stream().filter(CheckpointView::isCommitted).forEach(view -> {
            CheckpointView newest = newestPerStep.get(view.step());
            if (!newest.id().equals(view.id())) {
                replacedBy.put(view.id(), newest.id());
            }
        });
        return replacedBy;
    }
}
