package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SVG chart of a known report: exact bars on the log axis, ticks, legend and title. */
class SvgChartTest {
    @Test
    void barsSitOnALogAxisOfWholeDecades() {
        String svg = SvgChart.render(ReportTest.sample());
        // medians 10 .. 2000 ms: the axis spans 1 .. 10000 ms, 75 px per decade from y=360 up
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"340\" height=\"420\" viewBox=\"0 0 340 420\""), svg);
        List<String> bars = find(svg, "<rect class=\"bar\"[^\n]*");
        assertEquals(List.of(
                "<rect class=\"bar\" data-system=\"Kiln\" data-query=\"1\" x=\"85\" y=\"210.0\" width=\"10\" height=\"150.0\" fill=\"#d95f02\"><title>Q1 Kiln: 100.0 ms</title></rect>",
                "<rect class=\"bar\" data-system=\"DuckDB\" data-query=\"1\" x=\"95\" y=\"232.6\" width=\"10\" height=\"127.4\" fill=\"#1b9e77\"><title>Q1 DuckDB: 50.0 ms</title></rect>",
                "<rect class=\"bar\" data-system=\"Spark\" data-query=\"1\" x=\"105\" y=\"112.4\" width=\"10\" height=\"247.6\" fill=\"#7570b3\"><title>Q1 Spark: 2000.0 ms</title></rect>",
                "<rect class=\"bar\" data-system=\"Kiln\" data-query=\"6\" x=\"125\" y=\"285.0\" width=\"10\" height=\"75.0\" fill=\"#d95f02\"><title>Q6 Kiln: 10.0 ms</title></rect>",
                "<rect class=\"bar\" data-system=\"DuckDB\" data-query=\"6\" x=\"135\" y=\"262.4\" width=\"10\" height=\"97.6\" fill=\"#1b9e77\"><title>Q6 DuckDB: 20.0 ms</title></rect>",
                "<rect class=\"bar\" data-system=\"Spark\" data-query=\"6\" x=\"145\" y=\"164.8\" width=\"10\" height=\"195.2\" fill=\"#7570b3\"><title>Q6 Spark: 400.0 ms</title></rect>"), bars);
        assertEquals(List.of("1", "10", "100", "1000", "10000"), groups(svg, "<text class=\"tick\" x=\"74\" y=\"[0-9.]+\" text-anchor=\"end\">([0-9.]+)</text>"));
        assertEquals(List.of("364.0", "289.0", "214.0", "139.0", "64.0"), groups(svg, "<text class=\"tick\" x=\"74\" y=\"([0-9.]+)\""));
        assertEquals(List.of("Q1", "Q6"), groups(svg, "<text class=\"label\" [^>]*>([^<]+)</text>"));
        assertEquals(List.of("Kiln", "DuckDB", "Spark"), groups(svg, "<text class=\"legend\" [^>]*>([^<]+)</text>"));
        assertEquals(List.of("80", "160", "240"), groups(svg, "<rect class=\"legend\" x=\"(\\d+)\""));
        assertTrue(svg.contains("<text class=\"title\" x=\"80\" y=\"20\" font-size=\"14\">TPC-H SF 1.0, 2 thread(s), median of 3 runs; "
                + "geomean Kiln/DuckDB 1.00x; geomean Spark/Kiln 28.28x</text>"), svg);
        assertTrue(svg.contains(">median time, ms (log scale)</text>") && svg.contains(">TPC-H query</text>"), svg);
        assertTrue(svg.endsWith("</svg>\n"));
    }

    @Test
    void axisPositions() {
        assertEquals(360.0, SvgChart.y(1, 0, 4), 1e-9);
        assertEquals(60.0, SvgChart.y(10_000, 0, 4), 1e-9);
        assertEquals(210.0, SvgChart.y(0.1, -2, 0), 1e-9);
    }

    static List<String> find(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group());
        return out;
    }

    static List<String> groups(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
