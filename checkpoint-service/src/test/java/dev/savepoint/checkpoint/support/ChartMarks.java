package dev.savepoint.checkpoint.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counts the checkpoints a run chart's HTML shows: one per notable mark plus each routine path's data-count. */
public final class ChartMarks {

    private static final Pattern NOTABLE = Pattern.compile("<circle class=\"cp [^\"]+\" data-checkpoint=\"");
    private static final Pattern ROUTINE = Pattern.compile("<path class=\"cps [^\"]+\" data-kind=\"[^\"]+\" "
            + "data-count=\"(\\d+)\"");

    private ChartMarks() {
    }

    /** Notable marks (each its own element with data-checkpoint). */
    public static int notable(String html) {
        Matcher m = NOTABLE.matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Every checkpoint the chart stands for: notable marks plus the routine paths' counts. */
    public static int checkpoints(String html) {
        Matcher m = ROUTINE.matcher(html);
        int n = notable(html);
        while (m.find()) {
            n += Integer.parseInt(m.group(1));
        }
        return n;
    }
}
