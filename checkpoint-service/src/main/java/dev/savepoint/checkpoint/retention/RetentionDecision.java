package dev.savepoint.checkpoint.retention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What retention decided for one run: the ids to delete (oldest first), for every committed
 * checkpoint the rule that kept it or the reason it goes, and which committed checkpoints are
 * replaced by a later attempt's at the same step (see {@link Replacements}).
 */
public record RetentionDecision(List<String> toDelete, Map<String, String> reasons, Map<String, String> replacedBy) {

    /** Reason for a committed checkpoint that no rule keeps. */
    public static final String BEYOND_KEEP_LAST = "beyond keepLast";
    /** Reason for a checkpoint a rule kept but the byte budget removed. */
    public static final String OVER_MAX_TOTAL_BYTES = "over maxTotalBytes";
    /** Reason for a committed checkpoint a later attempt's checkpoint at the same step replaces (unless held). */
    public static final String REPLACED = "replaced";

    public RetentionDecision {
        toDelete = List.copyOf(Objects.requireNonNull(toDelete, "toDelete"));
        // Map.copyOf would lose the oldest-first order that makes the decision readable in logs.
        reasons = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(reasons, "reasons")));
        replacedBy = Map.copyOf(Objects.requireNonNull(replacedBy, "replacedBy"));
    }

    /** Ids of the committed checkpoints that survive, oldest first. */
    public List<String> kept() {
        return reasons.keySet().stream().filter(id -> !toDelete.contains(id)).toList();
    }
}
