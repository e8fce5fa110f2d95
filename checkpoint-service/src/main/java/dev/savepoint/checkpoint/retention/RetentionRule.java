package dev.savepoint.checkpoint.retention;

/**
 * Why a committed checkpoint is kept, in precedence order: the first rule a checkpoint matches is the
 * reason reported for it, and the byte budget gives up the later (weaker) reasons first.
 */
public enum RetentionRule {
    NEWEST("newest", true),
    PINNED("pinned", true),
    FORK_BASE("forkBase", true),
    LEASED("leased", true),
    KEEP_LAST("keepLast", false),
    KEEP_BEST("keepBest", false),
    KEEP_EVERY_STEPS("keepEverySteps", false);

    private final String label;
    private final boolean protectedFromBudget;

    RetentionRule(String label, boolean protectedFromBudget) {
        this.label = label;
        this.protectedFromBudget = protectedFromBudget;
    }

    /** The reason string reported in {@link RetentionDecision#reasons()}. */
    public String label() {
        return label;
    }

    /** Whether maxTotalBytes may never remove a checkpoint kept for this reason. */
    public boolean protectedFromBudget() {
        return protectedFromBudget;
    }
}
