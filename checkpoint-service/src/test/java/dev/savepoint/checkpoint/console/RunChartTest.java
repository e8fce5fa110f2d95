package dev.savepoint.checkpoint.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.console.RunChart.Mark;
import dev.savepoint.checkpoint.console.RunChart.Span;
import dev.savepoint.checkpoint.support.ChartMarks;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The run chart as a pure function: one mark per checkpoint, one per restart, the lost steps and the recovery. */
class RunChartTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void everyCheckpointAndEveryRestartHasOneMarkAndEachFailureItsLostStepsAndRecoveryTime() {
        List<Mark> marks = List.of(
                new Mark("c100", 100, 1, 0.9, "deleted", "deleted"),
                new Mark("c200", 200, 1, 0.7, "corrupt", "corrupt"),
                new Mark("c300", 300, 2, 0.5, "pinned", "kept: pinned"),
                new Mark("c400", 400, 3, 0.4, "latest", "kept: newest"));
        List<Span> spans = List.of(
                new Span(1, null, 250L, T0, T0.plusSeconds(60), "KILLED"),
                new Span(2, 100L, 340L, T0.plusSeconds(64), T0.plusSeconds(120), "KILLED"),
                new Span(3, 300L, 400L, T0.plusSeconds(122), null, null));

        String svg = RunChart.svg(marks, spans, 400L);

        // a chart of few checkpoints marks each one, the deleted one too
        assertEquals(4, ChartMarks.notable(svg));
        assertEquals(4, ChartMarks.checkpoints(svg));
        assertTrue(svg.contains("class=\"cp deleted\" data-checkpoint=\"c100\""), svg);
        assertTrue(!svg.contains("data-count"), svg);
        assertEquals(List.of("2", "3"), all(svg, "data-restart=\"(\\d+)\""));
        assertEquals(List.of("100", "300"), all(svg, "data-restart=\"\\d+\" data-step=\"(\\d+)\""));
        assertEquals(List.of("1", "2"), all(svg, "data-lost=\"(\\d+)\""));
        // attempt 1 reached 250 and 2 resumed at 100: 150 steps lost, back 4 s after the failure
        assertTrue(svg.contains("150 steps lost, back in 4.0 s"), svg);
        assertTrue(svg.contains("40 steps lost, back in 2.0 s"), svg);
        assertTrue(svg.contains("class=\"cp pinned\" data-checkpoint=\"c300\""), svg);
        assertTrue(svg.contains("<polyline class=\"loss\""), svg);
    }

    @Test
    void tenThousandRoutineCheckpointsAreOnePathPerKindAndEveryNotableOneKeepsItsOwnMark() {
        List<Mark> marks = new java.util.ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            String kind = i == 10_000 ? "latest" : i == 5_000 ? "pinned" : i == 7 ? "best" : i % 10 == 0 ? "every-n"
                    : i < 9_000 ? "deleted" : "deleting";
            marks.add(new Mark("c" + i, i * 10L, 1 + i / 4_000, 2.0 / i, kind, kind));
        }
        List<Span> spans = List.of(new Span(1, null, 40_500L, T0, T0.plusSeconds(60), "KILLED"),
                new Span(2, 40_000L, 100_000L, T0.plusSeconds(64), null, null));

        String svg = RunChart.svg(marks, spans, 100_000L);

        assertEquals(10_000, ChartMarks.checkpoints(svg));
        assertEquals(3, ChartMarks.notable(svg), "latest, pinned and best each have their own mark");
        for (String id : List.of("c10000", "c5000", "c7")) {
            assertTrue(svg.contains("data-checkpoint=\"" + id + "\""), id);
        }
        assertEquals(List.of("every-n", "deleting", "deleted"), all(svg, "<path class=\"cps ([a-z-]+)\""));
        assertEquals(List.of("998", "900", "8099"), all(svg, "data-count=\"(\\d+)\""));
        assertEquals(List.of("2"), all(svg, "data-restart=\"(\\d+)\""));
        // at most one dot per pixel per kind and two loss points per pixel column: far below a mark per checkpoint
        int plotWidth = RunChart.WIDTH;
        assertTrue(count(svg, "h0") <= 3 * plotWidth * 4, "dots: " + count(svg, "h0"));
        String loss = svg.substring(svg.indexOf("<polyline class=\"loss\" points=\""));
        loss = loss.substring(0, loss.indexOf("\"/>"));
        assertTrue(loss.split(" ").length <= 2 * plotWidth, "loss points: " + loss.split(" ").length);
        assertTrue(svg.length() < 150_000, "the chart is " + svg.length() + " characters");
    }

    @Test
    void marksAreColouredByStateAndByTheRuleThatKeepsThem() {
        assertEquals("corrupt", RunChart.kind("CORRUPT", false, null, false));
        assertEquals("deleted", RunChart.kind("DELETED", false, null, false));
        assertEquals("deleted", RunChart.kind("PARTIALLY_DELETED", false, null, false));
        assertEquals("pinned", RunChart.kind("COMMITTED", true, "keepLast", false));
        assertEquals("best", RunChart.kind("COMMITTED", false, "keepBest", false));
        assertEquals("every-n", RunChart.kind("COMMITTED", false, "keepEverySteps", false));
        assertEquals("latest", RunChart.kind("COMMITTED", false, "newest", false));
        assertEquals("latest", RunChart.kind("COMMITTED", false, "keepLast", false));
        assertEquals("deleting", RunChart.kind("COMMITTED", false, "beyond keepLast", true));
    }

    @Test
    void aRunWithoutLossOrCheckpointsStillDrawsAndTextIsEscaped() {
        String svg = RunChart.svg(List.of(new Mark("a\"<b>", 5, 1, null, "pending", "<x>")), List.of(), null);
        assertTrue(svg.contains("no loss reported"));
        assertTrue(svg.contains("data-checkpoint=\"a&quot;&lt;b&gt;\""), svg);
        assertTrue(!svg.contains("<x>"), svg);
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    private static List<String> all(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
