package dev.savepoint.checkpoint.retention;

import dev.savepoint.contracts.spec.RetentionSpec;

/** A {@link RetentionSpec} checked once, with its mode turned into a direction. */
record RetentionSettings(
        int keepLast, int keepBest, String metric, boolean higherIsBetter, long keepEverySteps, Long maxTotalBytes) {

    static RetentionSettings of(RetentionSpec spec) {
        requireAtLeast("keepLast", spec.keepLast(), 1, "the newest checkpoint is always kept, so use 1 to keep only it");
        requireAtLeast("keepBest", spec.keepBest(), 0, "use 0 to turn keepBest off");
        requireAtLeast("keepEverySteps", spec.keepEverySteps(), 0, "use 0 to turn keepEverySteps off");
        if (spec.maxTotalBytes() != null && spec.maxTotalBytes() < 0) {
            throw new IllegalArgumentException("retention.maxTotalBytes is " + spec.maxTotalBytes()
                    + " but must be >= 0; leave it null for no byte budget");
        }
        if (spec.keepBest() > 0 && spec.metric().isBlank()) {
            throw new IllegalArgumentException(
                    "retention.metric is blank but keepBest is " + spec.keepBest() + "; name the metric to rank by");
        }
        return new RetentionSettings(spec.keepLast(), spec.keepBest(), spec.metric(), higherIsBetter(spec.mode()),
                spec.keepEverySteps(), spec.maxTotalBytes());
    }

    private static boolean higherIsBetter(String mode) {
        if ("max".equalsIgnoreCase(mode)) {
            return true;
        }
        if ("min".equalsIgnoreCase(mode)) {
            return false;
        }
        throw new IllegalArgumentException("retention.mode is '" + mode + "' but must be 'min' or 'max'");
    }

    private static void requireAtLeast(String field, int value, int minimum, String hint) {
        if (value < minimum) {
            throw new IllegalArgumentException(
                    "retention." + field + " is " + value + " but must be >= " + minimum + "; " + hint);
        }
    }
}
