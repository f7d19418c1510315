package dev.kiln.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The report as an SVG bar chart, written by hand (no dependency): per query one group of bars,
 * the median time of each system, on a logarithmic axis (the systems differ by orders of
 * magnitude), with decade grid lines, axis titles, a legend, and the geometric means in the title.
 * Each bar carries {@code data-system}, {@code data-query} and a {@code <title>} with its value.
 */
final class SvgChart {
    private SvgChart() {}

    static final int LEFT = 80, TOP = 60, PLOT_HEIGHT = 300, BOTTOM = 60, RIGHT = 20, BAR = 10, GAP = 10, LEGEND = 80;

    private record Series(String name, String color, Function<Report.QueryReport, Optional<Stats>> stats) {}

    static String render(Report r) {
        List<Series> series = new ArrayList<>();
        series.add(new Series("Kiln", "#d95f02", q -> Optional.of(q.kiln())));
        if (r.duckdb().isPresent()) series.add(new Series("DuckDB", "#1b9e77", Report.QueryReport::duckdb));
        if (r.spark().isPresent()) series.add(new Series("Spark", "#7570b3", Report.QueryReport::spark));
        double min = Double.MAX_VALUE, max = 0;
        for (Report.QueryReport q : r.queries()) {
            for (Series s : series) {
                double m = s.stats().apply(q).orElseThrow().median();
                min = Math.min(min, m);
                max = Math.max(max, m);
            }
        }
        if (r.queries().isEmpty()) min = max = 1;
        // the axis spans whole decades strictly around every median, so that even the shortest bar
        // shows; medians below a microsecond are clamped (a log axis has no zero)
        int lo = (int) Math.ceil(Math.log10(Math.max(min, 1e-3))) - 1;
        int hi = Math.max(lo + 1, (int) Math.floor(Math.log10(Math.max(max, 1e-3))) + 1);
        int group = series.size() * BAR + GAP;
        int width = Math.max(LEFT + r.queries().size() * group, LEFT + series.size() * LEGEND) + RIGHT;
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        int base = TOP + PLOT_HEIGHT;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, xml(title(r))));
        // decade grid lines and labels on the logarithmic time axis
        for (int d = lo; d <= hi; d++) {
            double y = y(Math.pow(10, d), lo, hi);
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", LEFT, y, width - RIGHT, y));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                    BigDecimal.ONE.scaleByPowerOfTen(d).toPlainString()));
        }
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, base));
        sb.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, base, width - RIGHT, base));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"20\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 20 %d)\">median time, ms (log scale)</text>%n",
                TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2));
        sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">TPC-H query</text>%n",
                (LEFT + width - RIGHT) / 2, height - 12));
        for (int i = 0; i < r.queries().size(); i++) {
            Report.QueryReport q = r.queries().get(i);
            int x0 = LEFT + i * group + GAP / 2;
            for (int s = 0; s < series.size(); s++) {
                double m = series.get(s).stats().apply(q).orElseThrow().median();
                double y = y(Math.max(m, 1e-3), lo, hi);
                sb.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" data-system=\"%s\" data-query=\"%d\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>Q%d %s: %.1f ms</title></rect>%n",
                        series.get(s).name(), q.query(), x0 + s * BAR, y, BAR, base - y, series.get(s).color(), q.query(), series.get(s).name(), m));
            }
            sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">Q%d</text>%n", x0 + series.size() * BAR / 2, base + 16, q.query()));
        }
        // legend, top right
        for (int s = 0; s < series.size(); s++) {
            int x = width - RIGHT - (series.size() - s) * LEGEND;
            sb.append(String.format(Locale.ROOT, "<rect class=\"legend\" x=\"%d\" y=\"32\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", x, series.get(s).color()));
            sb.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%d\" y=\"41\">%s</text>%n", x + 14, series.get(s).name()));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    static String title(Report r) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "TPC-H SF %s, %d thread(s), median of %d runs", r.sf(), r.threads(), r.runs()));
        r.geomeanKilnOverDuckdb().ifPresent(g -> t.append(String.format(Locale.ROOT, "; geomean Kiln/DuckDB %.2fx", g)));
        r.geomeanSparkOverKiln().ifPresent(g -> t.append(String.format(Locale.ROOT, "; geomean Spark/Kiln %.2fx", g)));
        return t.toString();
    }

    /** The vertical position of a time in ms on the axis that spans 10^lo .. 10^hi. */
    static double y(double ms, int lo, int hi) {
        return TOP + PLOT_HEIGHT * (hi - Math.log10(ms)) / (hi - lo);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
