package dev.kiln.benchmarks.jmh;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.fn.Decimals;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DECIMAL arithmetic with the runtime's overflow-checked {@link Decimals}, over lineitem's
 * DECIMAL(15,2) columns: Q1's {@code sum(l_extendedprice * (1 - l_discount))} (exact, scale 4)
 * and {@code sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))} rounded HALF_UP to scale 4
 * row by row ({@link Decimals#multiplyRescale}), every add, subtract and multiply checked.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecimalKernel {
    /** 1 at scale 2, unscaled. */
    private static final long ONE = 100;

    @Param("1")
    public String sf;

    private TpchData data;
    private boolean ownsData;
    private List<ColumnVector> price;
    private List<ColumnVector> discount;
    private List<ColumnVector> tax;

    @Setup
    public void setup() {
        prepare(TpchData.tpch(Double.parseDouble(sf)));
        ownsData = true;
    }

    public void prepare(TpchData tables) {
        data = tables;
        price = scale2(data, "l_extendedprice");
        discount = scale2(data, "l_discount");
        tax = scale2(data, "l_tax");
    }

    private static List<ColumnVector> scale2(TpchData data, String column) {
        List<ColumnVector> vs = data.column("lineitem", column);
        DataType t = vs.getFirst().type();
        if (!(t instanceof DataType.DecimalType d) || d.scale() != 2 || vs.stream().anyMatch(ColumnVector::hasNulls)) {
            throw new KilnException("the decimal kernel needs " + column + " as a NOT NULL DECIMAL with scale 2, not " + t.sql());
        }
        return vs;
    }

    @TearDown
    public void tearDown() {
        if (ownsData) data.close();
    }

    /** [sum of the discounted prices (scale 4), sum of the charges (scale 4)], unscaled. */
    @Benchmark
    public long[] discountedCharge() {
        long sumDiscounted = 0;
        long sumCharge = 0;
        for (int b = 0; b < price.size(); b++) {
            MemorySegment p = price.get(b).values();
            MemorySegment d = discount.get(b).values();
            MemorySegment t = tax.get(b).values();
            for (int i = 0, n = price.get(b).size(); i < n; i++) {
                long off = (long) i * 8;
                long discounted = Decimals.multiply(p.get(ValueLayout.JAVA_LONG_UNALIGNED, off), Decimals.subtract(ONE, d.get(ValueLayout.JAVA_LONG_UNALIGNED, off)));
                long charge = Decimals.multiplyRescale(discounted, Decimals.add(ONE, t.get(ValueLayout.JAVA_LONG_UNALIGNED, off)), 2);
                sumDiscounted = Decimals.add(sumDiscounted, discounted);
                sumCharge = Decimals.add(sumCharge, charge);
            }
        }
        return new long[] {sumDiscounted, sumCharge};
    }
}
