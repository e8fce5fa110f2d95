package dev.savepoint.trainer.command;

/**
 * Turns the trainer's own step counter into the run's cumulative step: {@code resumedStep + (c - base)}, where
 * {@code base} is the counter the restored state recorded when the trainer continues its counter after a resume, and
 * 0 when it starts again at 0 (sd-scripts does). With {@code auto} the first state of the attempt decides: the counter
 * continues iff it is above the restored one. So the catalog's steps grow across resumes whatever the trainer counts.
 */
public final class StepCounter {

    private final long resumedStep;
    private final Long restoredCounter;
    private Boolean continues;

    /**
     * @param resumedStep the restored checkpoint's cumulative step (0 when the attempt starts fresh)
     * @param restoredCounter the trainer's counter in the restored state (null when fresh or unknown)
     * @param counter {@code auto}, {@code continues} or {@code restarts}
     */
    public StepCounter(long resumedStep, Long restoredCounter, String counter) {
        this.resumedStep = resumedStep;
        this.restoredCounter = restoredCounter;
        this.continues = switch (counter == null ? "auto" : counter) {
            case "continues" -> restoredCounter != null;
            case "restarts" -> false;
            default -> restoredCounter == null ? Boolean.FALSE : null;
        };
    }

    /** The cumulative step of a state whose own counter says {@code counter}. */
    public synchronized long cumulative(long counter) {
        if (continues == null) {
            continues = counter > restoredCounter;
        }
        long base = continues ? restoredCounter : 0;
        return resumedStep + Math.max(0, counter - base);
    }

    /** Whether the trainer was found (or declared) to continue its counter; null while undecided. */
    public synchronized Boolean continues() {
        return continues;
    }
}
