package dev.kiln.benchmarks.jmh;

import dev.kiln.benchmarks.BandwidthBound;
import dev.kiln.ir.KilnException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH's time per operation into rows/s and GB/s ({@link KernelSize}) and, when both the Q6
 * filter and the stream kernel ran, Q6's distance from the memory-bandwidth bound.
 */
public final class JmhReport {
    private JmhReport() {}

    /** One kernel's figures. */
    public record Line(String benchmark, String params, double msPerOp, double errorMs, KernelSize size) {
        public double rowsPerSecond() {
            return size.rows() / (msPerOp / 1e3);
        }

        public double bytesPerSecond() {
            return size.bytes() / (msPerOp / 1e3);
        }
    }

    /** Seconds per operation of a result, whatever mode and unit it was measured in. */
    public static double secondsPerOp(RunResult r) {
        var primary = r.getPrimaryResult();
        return secondsPerOp(primary.getScore(), primary.getScoreUnit());
    }

    /** {@code score} in {@code unit}: a time per operation ("ms/op") or operations per time ("ops/s"). */
    public static double secondsPerOp(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) throw new KilnException("cannot read the JMH score unit '" + unit + "'");
        if (parts[0].equals("ops")) return seconds(parts[1]) / score;
        if (parts[1].equals("op")) return score * seconds(parts[0]);
        throw new KilnException("cannot read the JMH score unit '" + unit + "'");
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> throw new KilnException("unknown JMH time unit '" + unit + "'");
        };
    }

    /** The simple class name and method of a benchmark, e.g. {@code QueryKernels.q6Filter}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    /** The lines of every result, sizes computed over the TPC-H data at each result's {@code sf} (loaded once per scale factor). */
    public static List<Line> lines(Collection<RunResult> results) {
        Map<String, TpchData> bySf = new HashMap<>();
        List<Line> lines = new ArrayList<>();
        try {
            for (RunResult r : results) {
                BenchmarkParams p = r.getParams();
                String name = shortName(p.getBenchmark());
                KernelSize size;
                String params;
                if (name.equals("StreamKernel.sum")) {
                    size = KernelSize.stream((long) Integer.parseInt(p.getParam("mb")) << 20);
                    params = "mb=" + p.getParam("mb");
                } else if (KernelSize.isTpch(name)) {
                    String sf = p.getParam("sf");
                    size = KernelSize.of(name, bySf.computeIfAbsent(sf, s -> TpchData.tpch(Double.parseDouble(s))));
                    params = "sf=" + sf;
                } else {
                    throw new KilnException("no size known for benchmark '" + name + "'");
                }
                double s = secondsPerOp(r);
                double err = r.getPrimaryResult().getScoreError();
                double errMs = Double.isNaN(err) ? Double.NaN : s * 1e3 * err / r.getPrimaryResult().getScore();
                lines.add(new Line(name, params, s * 1e3, errMs, size));
            }
        } finally {
            bySf.values().forEach(TpchData::close);
        }
        return lines;
    }

    public static void print(List<Line> lines, PrintStream out) {
        out.printf(Locale.ROOT, "%n%-34s %-7s %10s %9s %11s %11s %8s%n", "kernel (1 thread)", "params", "ms/op", "± (99.9%)", "rows/s", "bytes/op", "GB/s");
        for (Line l : lines) {
            out.printf(Locale.ROOT, "%-34s %-7s %10.2f %9s %10.1fM %10.1fM %8.2f%n", l.benchmark(), l.params(), l.msPerOp(),
                    Double.isNaN(l.errorMs()) ? "?" : String.format(Locale.ROOT, "%.2f", l.errorMs()),
                    l.rowsPerSecond() / 1e6, l.size().bytes() / 1e6, l.bytesPerSecond() / 1e9);
        }
        Line q6 = find(lines, "QueryKernels.q6Filter");
        Line stream = find(lines, "StreamKernel.sum");
        if (q6 != null && stream != null) {
            var bound = new BandwidthBound.Bound(q6.size().bytes(), stream.bytesPerSecond());
            out.println(bound.describe("Q6 (" + q6.params() + ", generated pipeline)", q6.msPerOp()));
        }
        Line hand = find(lines, "HandWrittenQ6.q6");
        if (q6 != null && hand != null) {
            out.printf(Locale.ROOT, "Q6 generated / hand-written Java over the same columns: %.1f / %.1f ms = %.2fx%n",
                    q6.msPerOp(), hand.msPerOp(), q6.msPerOp() / hand.msPerOp());
        }
    }

    /** The lines as a JSON document. */
    public static String json(List<Line> lines, String machine) {
        List<String> items = new ArrayList<>();
        for (Line l : lines) {
            items.add(String.format(Locale.ROOT,
                    "{\"kernel\": \"%s\", \"params\": \"%s\", \"ms_per_op\": %.4f, \"rows\": %d, \"bytes\": %d, \"rows_per_s\": %.1f, \"gb_per_s\": %.4f}",
                    l.benchmark(), l.params(), l.msPerOp(), l.size().rows(), l.size().bytes(), l.rowsPerSecond(), l.bytesPerSecond() / 1e9));
        }
        return "{\"threads\": 1, \"machine\": \"" + machine + "\", \"results\": [\n  " + String.join(",\n  ", items) + "\n]}\n";
    }

    /** The 1-minute load average (negative where the OS does not tell). */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Cores and the load around the run: figures from a machine whose other processes keep its cores busy are noisy. */
    public static String machine(double loadBefore, double loadAfter) {
        return String.format(Locale.ROOT, "%d cores, load average %.2f before the run, %.2f after", Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
    }

    private static Line find(List<Line> lines, String name) {
        return lines.stream().filter(l -> l.benchmark().equals(name)).findFirst().orElse(null);
    }
}
