package dev.kiln.benchmarks.dl;

import java.util.List;
import java.util.Locale;

/** The printed table and the JSON report of {@code bench dl}. */
public record DlReport(DlOptions options, String ortVersion, List<DlCell> cells, List<DlModel.Missing> missing, List<EndToEnd.Result> endToEnd, int cores) {
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| %-12s | %5s | %3s | %-26s | %-26s | %10s | %10s | %8s | %9s | %8s | %s |%n", "model", "batch", "thr",
                "Kiln ms med (min-max)", "ORT ms med (min-max)", "Kiln rows/s", "ORT rows/s", "Kiln/ORT", "1st call", "max diff", "Kiln ran"));
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (DlCell c : cells) {
            sb.append(String.format(Locale.ROOT, "| %-12s | %5d | %3d | %-26s | %-26s | %10.1f | %10s | %8s | %6.0f ms | %8s | %s |%n", c.model(), c.batch(), c.threads(),
                    fmt(c.kiln()), c.ort().map(DlReport::fmt).orElse("(ORT cannot run it)"), c.kilnRowsPerSecond(),
                    c.ortRowsPerSecond().map(r -> String.format(Locale.ROOT, "%.1f", r)).orElse("-"),
                    c.throughputRatio().map(r -> String.format(Locale.ROOT, "%.2fx", r)).orElse("-"), c.kilnFirstCallMs(),
                    c.maxDiff().map(d -> String.format(Locale.ROOT, "%.1e", d)).orElse("-"), c.kilnRan()));
        }
        for (DlModel.Missing m : missing) sb.append("skipped ").append(m.name()).append(": ").append(m.reason()).append('\n');
        for (EndToEnd.Result r : endToEnd) sb.append(EndToEnd.line(r)).append('\n');
        return sb.toString();
    }

    private static String fmt(dev.kiln.benchmarks.Stats s) {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.median(), s.min(), s.max());
    }

    public String json() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append(String.format(Locale.ROOT, "  \"runs\": %d, \"warmup\": %d, \"warmup_seconds\": %s, \"cores\": %d, \"onnxruntime\": \"%s\", \"tolerance\": %s,%n",
                options.runs(), options.warmup(), options.warmupSeconds(), cores, ortVersion, OutputCheck.TOLERANCE));
        sb.append("  \"cells\": [\n");
        for (int i = 0; i < cells.size(); i++) {
            DlCell c = cells.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"model\": \"%s\", \"batch\": %d, \"threads\": %d, \"kiln_ran\": \"%s\", \"kiln\": %s, \"ort\": %s, "
                            + "\"kiln_first_call_ms\": %.1f, \"kiln_rows_per_s\": %.2f, \"ort_rows_per_s\": %s, \"kiln_over_ort_throughput\": %s, \"max_diff\": %s}%s%n",
                    c.model(), c.batch(), c.threads(), escape(c.kilnRan()), c.kiln().json(), c.ort().map(dev.kiln.benchmarks.Stats::json).orElse("null"),
                    c.kilnFirstCallMs(), c.kilnRowsPerSecond(), c.ortRowsPerSecond().map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("null"),
                    c.throughputRatio().map(r -> String.format(Locale.ROOT, "%.4f", r)).orElse("null"),
                    c.maxDiff().map(d -> String.format(Locale.ROOT, "%.3e", d)).orElse("null"), i + 1 < cells.size() ? "," : ""));
        }
        sb.append("  ],\n  \"skipped\": [");
        for (int i = 0; i < missing.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("{\"model\": \"%s\", \"reason\": \"%s\"}", missing.get(i).name(), escape(missing.get(i).reason())));
        }
        sb.append("],\n  \"end_to_end\": [");
        for (int i = 0; i < endToEnd.size(); i++) sb.append(i == 0 ? "" : ", ").append(EndToEnd.json(endToEnd.get(i)));
        return sb.append("]\n}\n").toString();
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
