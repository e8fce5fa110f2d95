package dev.savepoint.bench;

import java.util.Locale;
import java.util.Map;

/**
 * A figure's plot as a small SVG: one horizontal bar per measured quantity (same unit), the target as a dashed line,
 * the bar of the figure's value green when its target is met and red when not. No library: a page of text any browser draws.
 */
final class SvgBars {

    private static final int WIDTH = 640;
    private static final int LABEL = 210;
    private static final int BAR = 22;
    private static final int GAP = 10;

    private SvgBars() {
    }

    static String draw(Result r) {
        Map<String, Double> bars = r.plot();
        double max = Math.max(r.targetValue(), bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double scale = (WIDTH - LABEL - 90) / (max <= 0 ? 1 : max);
        int height = 40 + bars.size() * (BAR + GAP) + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"20\" font-weight=\"bold\">%s (%s; target %s)</text>%n",
                escape(r.figure()), escape(r.unit()), escape(r.target())));
        int y = 34;
        for (Map.Entry<String, Double> bar : bars.entrySet()) {
            boolean figure = bar.getValue() == r.value(); // the figure's own bar; the others are baselines
            String colour = figure ? (r.met() ? "#2e7d32" : "#c62828") : "#607d8b";
            double w = Math.max(1, bar.getValue() * scale);
            svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>%n", y + 15, escape(bar.getKey())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL, y, w, BAR, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", LABEL + w + 4, y + 15,
                    escape(Numbers.format(bar.getValue()))));
            y += BAR + GAP;
        }
        double tx = LABEL + r.targetValue() * scale;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" "
                + "stroke-dasharray=\"4 3\"/>%n", tx, tx, y));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">target</text>%n", tx + 3, y + 12));
        return svg.append("</svg>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
