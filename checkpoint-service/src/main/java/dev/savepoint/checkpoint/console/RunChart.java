package dev.savepoint.checkpoint.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's story on one SVG picture, drawn on the server: loss over steps, every checkpoint as a mark coloured by its
 * state and retention reason (each its own {@code data-checkpoint} mark; above {@link #INDIVIDUAL_LIMIT}, routine ones one
 * path per kind, see {@link #ROUTINE}), every restart as a line at the step it resumed from
 * ({@code data-restart}), the steps each failure threw away shaded ({@code data-lost}) with its recovery time. A pure
 * function of its inputs, so it is tested without a database.
 */
public final class RunChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 320;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private RunChart() {
    }

    /** One checkpoint as the chart sees it; {@code kind} is one of {@link #kind}'s answers. */
    public record Mark(String id, long step, int attempt, Double loss, String kind, String label) {
    }

    /** One attempt: where it resumed (null for a fresh start), how far it got, how it ended. */
    public record Span(int attempt, Long resumedFromStep, Long lastStep, Instant startedAt, Instant endedAt,
            String cause) {
    }

    /**
     * The mark's class: {@code corrupt}, {@code deleted} (gone or going), {@code rejected}, {@code pending}, or for a
     * committed checkpoint the reason retention keeps it: {@code pinned}, {@code latest} (newest, keepLast),
     * {@code best}, {@code every-n}, {@code leased}, or {@code deleting} when retention is about to delete it.
     */
    public static String kind(String state, boolean pinned, String keptBy, boolean goingAway) {
        return switch (state) {
            case "CORRUPT" -> "corrupt";
            case "DELETED", "PARTIALLY_DELETED", "DELETING" -> "deleted";
            case "REJECTED" -> "rejected";
            case "PENDING" -> "pending";
            default -> pinned ? "pinned" : goingAway ? "deleting" : keptKind(keptBy);
        };
    }

    private static String keptKind(String keptBy) {
        if (keptBy == null) {
            return "latest";
        }
        return switch (keptBy) {
            case "keepBest" -> "best";
            case "keepEverySteps" -> "every-n";
            case "pinned" -> "pinned";
            case "leased" -> "leased";
            default -> "latest";
        };
    }

    /** The SVG element (inline in the page). */
    public static String svg(List<Mark> marks, List<Span> spans, Long maxSteps) {
        long xMax = Math.max(1, maxSteps == null ? 0 : maxSteps);
        for (Mark m : marks) {
            xMax = Math.max(xMax, m.step());
        }
        for (Span s : spans) {
            xMax = Math.max(xMax, s.lastStep() == null ? 0 : s.lastStep());
        }
        double lossMin = Double.POSITIVE_INFINITY;
        double lossMax = Double.NEGATIVE_INFINITY;
        for (Mark m : marks) {
            if (m.loss() != null && Double.isFinite(m.loss())) {
                lossMin = Math.min(lossMin, m.loss());
                lossMax = Math.max(lossMax, m.loss());
            }
        }
        boolean hasLoss = lossMin <= lossMax;
        if (!hasLoss) {
            lossMin = 0;
            lossMax = 1;
        } else if (lossMax - lossMin < 1e-12) {
            lossMin -= 0.5;
            lossMax += 0.5;
        }
        Scale scale = new Scale(xMax, lossMin, lossMax);
        StringBuilder out = new StringBuilder(8192);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"run-chart\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"loss over steps, with ")
                .append(marks.size()).append(" checkpoints and ").append(Math.max(0, restarts(spans).size()))
                .append(" restarts\">");
        axes(out, scale, hasLoss);
        lost(out, scale, spans);
        lossLine(out, scale, marks);
        restartLines(out, scale, spans);
        checkpointMarks(out, scale, marks);
        out.append("</svg>");
        return out.toString();
    }

    /** Attempts after the first: each began with a restart. */
    static List<Span> restarts(List<Span> spans) {
        return spans.stream().filter(s -> s.attempt() > 1).sorted(Comparator.comparingInt(Span::attempt)).toList();
    }

    private record Scale(long xMax, double lossMin, double lossMax) {
        double x(long step) {
            return LEFT + (WIDTH - LEFT - RIGHT) * (double) step / xMax;
        }

        double y(double loss) {
            return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (loss - lossMin) / (lossMax - lossMin));
        }

        double base() {
            return HEIGHT - BOTTOM;
        }
    }

    private static void axes(StringBuilder out, Scale s, boolean hasLoss) {
        out.append("<g class=\"axes\">");
        line(out, LEFT, s.base(), WIDTH - RIGHT, s.base());
        line(out, LEFT, TOP, LEFT, s.base());
        for (int i = 0; i <= 4; i++) {
            long step = Math.round(s.xMax() * i / 4.0);
            text(out, s.x(step), s.base() + 16, "middle", Long.toString(step));
            if (hasLoss) {
                double loss = s.lossMin() + (s.lossMax() - s.lossMin()) * i / 4;
                text(out, LEFT - 6, s.y(loss) + 4, "end", label(loss));
            }
        }
        text(out, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 6, "middle", "step");
        text(out, 12, TOP - 12, "start", hasLoss ? "loss" : "no loss reported");
        out.append("</g>");
    }

    private static void lost(StringBuilder out, Scale s, List<Span> spans) {
        Map<Integer, Span> byAttempt = new TreeMap<>();
        spans.forEach(span -> byAttempt.put(span.attempt(), span));
        for (Span failed : byAttempt.values()) {
            Span next = byAttempt.get(failed.attempt() + 1);
            if (next == null || failed.lastStep() == null) {
                continue;
            }
            long from = next.resumedFromStep() == null ? 0 : next.resumedFromStep();
            long lostSteps = Math.max(0, failed.lastStep() - from);
            double x0 = s.x(from);
            double x1 = Math.max(s.x(failed.lastStep()), x0 + 2);
            out.append("<g class=\"lost\" data-lost=\"").append(failed.attempt()).append("\"><rect x=\"")
                    .append(fmt(x0)).append("\" y=\"").append(TOP).append("\" width=\"").append(fmt(x1 - x0))
                    .append("\" height=\"").append(fmt(s.base() - TOP)).append("\"><title>attempt ")
                    .append(failed.attempt()).append(failed.cause() == null ? "" : " " + esc(failed.cause()))
                    .append(": ").append(lostSteps).append(" steps lost</title></rect>");
            String recovery = recovery(failed.endedAt(), next.startedAt());
            text(out, x1 + 3, TOP + 12 + 12 * ((failed.attempt() - 1) % 3), "start",
                    lostSteps + " steps lost" + (recovery == null ? "" : ", back in " + recovery));
            out.append("</g>");
        }
    }

    /** How long from a failure to the next attempt's start, or null when one end is unknown. */
    static String recovery(Instant failedAt, Instant restartedAt) {
        if (failedAt == null || restartedAt == null) {
            return null;
        }
        Duration d = Duration.between(failedAt, restartedAt);
        if (d.isNegative()) {
            return null;
        }
        return d.toMinutes() >= 1 ? d.toMinutes() + " min " + d.toSecondsPart() + " s"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void lossLine(StringBuilder out, Scale s, List<Mark> marks) {
        // per step the highest attempt's value: what the run that went on actually had there
        TreeMap<Long, Mark> byStep = new TreeMap<>();
        for (Mark m : marks) {
            if (m.loss() != null && Double.isFinite(m.loss())) {
                byStep.merge(m.step(), m, (a, b) -> a.attempt() >= b.attempt() ? a : b);
            }
        }
        if (byStep.size() < 2) {
            return;
        }
        out.append("<polyline class=\"loss\" points=\"");
        // at most two points per pixel column (its lowest and highest loss, in step order): the same line
        long column = Long.MIN_VALUE;
        Mark low = null;
        Mark high = null;
        for (Mark m : byStep.values()) {
            long c = Math.round(s.x(m.step()));
            if (c != column && low != null) {
                columnPoints(out, s, low, high);
                low = null;
            }
            column = c;
            if (low == null) {
                low = m;
                high = m;
            } else if (m.loss() < low.loss()) {
                low = m;
            } else if (m.loss() > high.loss()) {
                high = m;
            }
        }
        columnPoints(out, s, low, high);
        out.setLength(out.length() - 1);
        out.append("\"/>");
    }

    private static void columnPoints(StringBuilder out, Scale s, Mark low, Mark high) {
        Mark first = low.step() <= high.step() ? low : high;
        Mark second = first == low ? high : low;
        out.append(fmt(s.x(first.step()))).append(',').append(fmt(s.y(first.loss()))).append(' ');
        if (second != first) {
            out.append(fmt(s.x(second.step()))).append(',').append(fmt(s.y(second.loss()))).append(' ');
        }
    }

    private static void restartLines(StringBuilder out, Scale s, List<Span> spans) {
        for (Span r : restarts(spans)) {
            long at = r.resumedFromStep() == null ? 0 : r.resumedFromStep();
            double x = s.x(at);
            out.append("<g class=\"restart\" data-restart=\"").append(r.attempt()).append("\" data-step=\"")
                    .append(at).append("\">");
            line(out, x, TOP - 4, x, s.base());
            out.append("<title>attempt ").append(r.attempt()).append(" resumed at step ").append(at)
                    .append("</title>");
            text(out, x + 2, TOP - 6, "start", "#" + r.attempt());
            out.append("</g>");
        }
    }

    /**
     * Kinds drawn together on a chart of more than {@link #INDIVIDUAL_LIMIT} checkpoints: every checkpoint of one of
     * these kinds is a dot on one path per kind ({@code data-kind}, {@code data-count} = how many checkpoints it
     * stands for), at most one dot per pixel. Every other kind is notable and has its own mark
     * ({@code data-checkpoint}) with its tooltip, and so has every checkpoint of a smaller chart. So the marks of a
     * chart are the individual ones plus the sum of the paths' {@code data-count}: one per checkpoint.
     */
    static final List<String> ROUTINE = List.of("every-n", "deleting", "deleted");
    /** Up to this many checkpoints, each has its own mark (more than the chart has pixels across, they would blur). */
    static final int INDIVIDUAL_LIMIT = 1000;

    private static void checkpointMarks(StringBuilder out, Scale s, List<Mark> marks) {
        List<Mark> ordered = new ArrayList<>(marks);
        ordered.sort(Comparator.comparingLong(Mark::step).thenComparingInt(Mark::attempt));
        out.append("<g class=\"checkpoints\">");
        boolean together = ordered.size() > INDIVIDUAL_LIMIT;
        if (together) {
            for (String kind : ROUTINE) {
                routinePath(out, s, kind, ordered.stream().filter(m -> kind.equals(m.kind())).toList());
            }
        }
        for (Mark m : ordered) {
            if (together && ROUTINE.contains(m.kind())) {
                continue;
            }
            out.append("<circle class=\"cp ").append(m.kind()).append("\" data-checkpoint=\"").append(esc(m.id()))
                    .append("\" data-kind=\"").append(m.kind()).append("\" cx=\"").append(fmt(s.x(m.step())))
                    .append("\" cy=\"").append(fmt(y(s, m))).append("\" r=\"4\"><title>step ").append(m.step())
                    .append(", attempt ").append(m.attempt()).append(": ").append(esc(m.label()))
                    .append("</title></circle>");
        }
        out.append("</g>");
    }

    /** One path of dots (a zero-length segment with round caps each), a dot per distinct pixel. */
    private static void routinePath(StringBuilder out, Scale s, String kind, List<Mark> of) {
        if (of.isEmpty()) {
            return;
        }
        out.append("<path class=\"cps ").append(kind).append("\" data-kind=\"").append(kind)
                .append("\" data-count=\"").append(of.size()).append("\" d=\"");
        java.util.Set<Long> drawn = new java.util.HashSet<>();
        for (Mark m : of) {
            long x = Math.round(s.x(m.step()));
            long y = Math.round(y(s, m));
            if (drawn.add(x * 100_000 + y)) {
                out.append('M').append(x).append(' ').append(y).append("h0");
            }
        }
        out.append("\"><title>").append(of.size()).append(' ').append(of.size() == 1 ? "checkpoint" : "checkpoints")
                .append(' ').append(kind).append(", steps ").append(of.get(0).step()).append(" to ")
                .append(of.get(of.size() - 1).step()).append(" (each in the table below)</title></path>");
    }

    private static double y(Scale s, Mark m) {
        return m.loss() != null && Double.isFinite(m.loss()) ? s.y(m.loss()) : s.base();
    }

    private static void line(StringBuilder out, double x1, double y1, double x2, double y2) {
        out.append("<line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"")
                .append(fmt(x2)).append("\" y2=\"").append(fmt(y2)).append("\"/>");
    }

    private static void text(StringBuilder out, double x, double y, String anchor, String text) {
        out.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"")
                .append(anchor).append("\">").append(esc(text)).append("</text>");
    }

    /** A coordinate to a tenth (fast: a chart of 10,000 checkpoints formats 30,000 of them). */
    static String fmt(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    /** A value for people: four significant digits. */
    static String label(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
