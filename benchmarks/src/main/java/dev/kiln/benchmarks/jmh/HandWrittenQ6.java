package dev.kiln.benchmarks.jmh;

import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The peer of {@link QueryKernels#q6Filter}: Q6 written by hand over the same off-heap columns,
 * the plain way: one loop per batch, the most selective predicate (the year of l_shipdate) first
 * and short-circuited, the sum in a local, no overflow checks (exact for TPC-H's value ranges).
 * Not Kiln code: it says how far the generated pipeline is from hand-written code, measured in the
 * same run. (A branch-free variant, all five comparisons combined with {@code &}, measured slower
 * here: it loads every column of every row.)
 */
public class HandWrittenQ6 extends TpchKernel {
    private static final int FROM = (int) LocalDate.of(1994, 1, 1).toEpochDay();
    private static final int TO = (int) LocalDate.of(1995, 1, 1).toEpochDay();

    private List<ColumnVector> shipdate;
    private List<ColumnVector> discount;
    private List<ColumnVector> quantity;
    private List<ColumnVector> price;

    @Override
    public void prepare(TpchData tables) {
        super.prepare(tables);
        shipdate = data.column("lineitem", "l_shipdate");
        discount = scale2(data, "l_discount");
        quantity = scale2(data, "l_quantity");
        price = scale2(data, "l_extendedprice");
    }



    /** Q6's revenue (scale 4). */
    @Benchmark
    public BigDecimal q6() {
        long sum = 0;
        for (int b = 0; b < shipdate.size(); b++) {
            MemorySegment sd = shipdate.get(b).values();
            MemorySegment dc = discount.get(b).values();
            MemorySegment qt = quantity.get(b).values();
            MemorySegment pr = price.get(b).values();
            for (int i = 0, n = shipdate.get(b).size(); i < n; i++) {
                int d = sd.get(ValueLayout.JAVA_INT_UNALIGNED, (long) i * 4);
                if (d < FROM || d >= TO) continue;
                long off = (long) i * 8;
                long disc = dc.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
                if (disc >= 5 && disc <= 7 && qt.get(ValueLayout.JAVA_LONG_UNALIGNED, off) < 2400) sum += pr.get(ValueLayout.JAVA_LONG_UNALIGNED, off) * disc;
            }
        }
        return BigDecimal.valueOf(sum, 4);
    }
}
