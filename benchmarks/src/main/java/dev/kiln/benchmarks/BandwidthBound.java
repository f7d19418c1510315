package dev.kiln.benchmarks;

import dev.kiln.benchmarks.jmh.ColumnBytes;
import dev.kiln.benchmarks.jmh.JmhReport;
import dev.kiln.benchmarks.jmh.StreamKernel;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.vector.Table;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The memory-bandwidth bound of a scan: the bytes it must read divided by what one core can
 * stream from memory. For Q6 that is its four lineitem columns in Kiln's layout over the
 * single-core stream bandwidth measured by {@link StreamKernel} through JMH (one fork, short
 * iterations: about 2 s). A query at the bound would do no work but reading its input once.
 */
public final class BandwidthBound {
    private BandwidthBound() {}

    /** The columns Q6 reads. */
    public static final List<String> Q6_COLUMNS = List.of("l_shipdate", "l_discount", "l_quantity", "l_extendedprice");

    /** The segment the stream benchmark reads, far larger than any cache. */
    public static final int STREAM_MB = 512;

    /** Bytes scanned and the stream bandwidth they are read at. */
    public record Bound(long bytesScanned, double bytesPerSecond) {
        public Bound {
            if (bytesScanned < 0 || !(bytesPerSecond > 0)) throw new IllegalArgumentException("a bound needs bytes ≥ 0 and a positive bandwidth");
        }

        public double millis() {
            return bytesScanned / bytesPerSecond * 1e3;
        }

        /** How far {@code actualMillis} is from the bound (1 = at the bound). */
        public double ratio(double actualMillis) {
            return actualMillis / millis();
        }

        /** {@code Q6: X ms, bound Y ms (bytes scanned B at S GB/s), ratio X/Y}. */
        public String describe(String query, double actualMillis) {
            return String.format(Locale.ROOT, "%s: %.1f ms, bound %.1f ms (bytes scanned %,d at %.2f GB/s), ratio %.2f",
                    query, actualMillis, millis(), bytesScanned, bytesPerSecond / 1e9, ratio(actualMillis));
        }
    }

    /** Prints Q6's bound at scale factor {@code args[0]} (default 1): bytes scanned, stream bandwidth, bound in ms. */
    public static void main(String[] args) {
        double sf = args.length == 0 ? 1 : Double.parseDouble(args[0]);
        try (var data = dev.kiln.benchmarks.jmh.TpchData.tpch(sf)) {
            Bound b = q6(data.table("lineitem"));
            System.out.printf(Locale.ROOT, "Q6 at sf %s: bytes scanned %,d, single-core stream bandwidth %.2f GB/s, bound %.1f ms%n",
                    sf, b.bytesScanned(), b.bytesPerSecond() / 1e9, b.millis());
        }
    }

    /** The bytes Q6 scans from {@code lineitem}. */
    public static long q6BytesScanned(Table lineitem) {
        return ColumnBytes.of(lineitem, Q6_COLUMNS);
    }

    /** Q6's bound over {@code lineitem}, measuring the stream bandwidth now. */
    public static Bound q6(Table lineitem) {
        return new Bound(q6BytesScanned(lineitem), streamBytesPerSecond());
    }

    /** The single-core stream bandwidth in bytes/s: {@link StreamKernel#sum} through JMH, one fork, 2 warm-up and 3 measured 250 ms iterations, silent. */
    public static double streamBytesPerSecond() {
        Options o = new OptionsBuilder()
                .include(java.util.regex.Pattern.quote(StreamKernel.class.getName() + ".sum") + "$")
                .param("mb", Integer.toString(STREAM_MB))
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.milliseconds(250))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(250))
                .jvmArgsAppend(JmhMain.FORK_FLAGS.toArray(new String[0]))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results;
        try {
            PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
            results = new Runner(o, OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT)).run();
        } catch (RunnerException e) {
            throw new KilnException("the stream bandwidth benchmark failed: " + e.getMessage(), e);
        }
        if (results.size() != 1) throw new KilnException("the stream bandwidth benchmark gave " + results.size() + " results, not 1 (is the benchmarks module's BenchmarkList on the class path?)");
        RunResult r = results.iterator().next();
        return ((long) STREAM_MB << 20) / JmhReport.secondsPerOp(r);
    }
}
