package dev.savepoint.checkpoint.console;

import java.util.List;

/** What the console's templates show: plain values, already formatted, so the templates hold no logic. */
public final class ConsoleViews {

    /** Shown where a number is unknown (the scheduler did not answer, or does not report it yet). */
    public static final String NONE = "—";

    private ConsoleViews() {
    }

    /** One row of the runs list. */
    public record RunLine(String runId, String name, String state, String step, String maxSteps, Integer percent,
            int attempts, String restarts, String goodput, long kept, String keptBytes, String lastFailure) {
    }

    /** The runs list: a keyset page, its filter, and the cursor of the next page (null on the last). */
    public record RunsPage(List<RunLine> runs, String text, String state, List<String> states, long total,
            String next, boolean first, boolean operator) {
    }

    /** A named number of the goodput breakdown. */
    public record Figure(String name, String value) {
    }

    /** A link to another run at one of its checkpoints (fork lineage). */
    public record Lineage(String runId, String checkpointId, String step) {
    }

    /** One row of the checkpoint table. */
    public record CheckpointLine(String id, long step, int attempt, String state, String kind, String retention,
            boolean pinned, String loss, String size, List<String> files, boolean committed) {
    }

    /** One attempt of the timeline. */
    public record AttemptLine(int attempt, String state, String startedAt, String endedAt, String cause,
            String message, String exitCode, String resumedFrom, String resumedFromCheckpointId, String exact,
            String differences, String lastStep, String lost, String recovery) {

        /** The first 8 characters of the resume checkpoint's id (all of a shorter one). */
        public String resumedFromShort() {
            return resumedFromCheckpointId == null ? "" : resumedFromCheckpointId.substring(0,
                    Math.min(8, resumedFromCheckpointId.length()));
        }
    }

    /** The run page. */
    public record RunPage(String runId, String name, String state, String step, String maxSteps, String restarts,
            String goodput, List<Figure> breakdown, String bitExact, String finalParamsSha256, Lineage parent,
            List<Lineage> children, String chart, int checkpointCount, List<CheckpointLine> checkpoints,
            int pageNumber, int pages, Integer previousPage, Integer nextPage, List<AttemptLine> attempts, boolean operator, boolean cancellable, boolean resumable) {
    }
}
