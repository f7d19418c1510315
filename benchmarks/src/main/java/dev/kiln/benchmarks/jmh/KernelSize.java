package dev.kiln.benchmarks.jmh;

import dev.kiln.benchmarks.BandwidthBound;
import dev.kiln.ir.KilnException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The work of one operation of each kernel: the rows it processes and the bytes of the columns it
 * scans in Kiln's layout ({@link ColumnBytes}; hash-table and result memory not counted), so a
 * time per operation becomes rows/s and GB/s.
 */
public record KernelSize(long rows, long bytes) {
    /** Benchmark method (class simple name + "." + method) → its size over the given tables. */
    private static final Map<String, Function<TpchData, KernelSize>> TPCH = Map.of(
            "QueryKernels.q6Filter", d -> lineitem(d, BandwidthBound.Q6_COLUMNS),
            "HandWrittenQ6.q6", d -> lineitem(d, BandwidthBound.Q6_COLUMNS),
            "QueryKernels.hashJoin", d -> new KernelSize(rows(d, "lineitem") + rows(d, "orders"),
                    bytes(d, "lineitem", List.of("l_orderkey")) + bytes(d, "orders", List.of("o_orderkey", "o_totalprice"))),
            "QueryKernels.aggLowCardinality", d -> lineitem(d, List.of("l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice")),
            "QueryKernels.aggHighCardinality", d -> lineitem(d, List.of("l_orderkey", "l_quantity")),
            "HashProbeKernel.probe", d -> lineitem(d, List.of("l_orderkey")),
            "DecimalKernel.discountedCharge", d -> lineitem(d, List.of("l_extendedprice", "l_discount", "l_tax")));

    /** The size of {@code benchmark} (its simple class name and method, e.g. {@code QueryKernels.q6Filter}) over TPC-H data. */
    public static KernelSize of(String benchmark, TpchData data) {
        Function<TpchData, KernelSize> f = TPCH.get(benchmark);
        if (f == null) throw new KilnException("no size known for benchmark '" + benchmark + "'; known: " + TPCH.keySet());
        return f.apply(data);
    }

    public static boolean isTpch(String benchmark) {
        return TPCH.containsKey(benchmark);
    }

    /** The stream kernel reads {@code bytes} as longs. */
    public static KernelSize stream(long bytes) {
        return new KernelSize(bytes / Long.BYTES, bytes);
    }

    private static KernelSize lineitem(TpchData d, List<String> columns) {
        return new KernelSize(rows(d, "lineitem"), bytes(d, "lineitem", columns));
    }

    private static long rows(TpchData d, String table) {
        return d.table(table).rowCount();
    }

    private static long bytes(TpchData d, String table, List<String> columns) {
        return ColumnBytes.of(d.table(table), columns);
    }
}
