package dev.kiln.benchmarks.jmh;

import dev.kiln.runtime.fn.Decimals;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * DECIMAL arithmetic with the runtime's overflow-checked {@link Decimals}, over lineitem's
 * DECIMAL(15,2) columns: Q1's {@code sum(l_extendedprice * (1 - l_discount))} (exact, scale 4)
 * and {@code sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))} rounded HALF_UP to scale 4
 * row by row ({@link Decimals#multiplyRescale}), every add, subtract and multiply checked.
 */
public class DecimalKernel extends TpchKernel {
    /** 1 at scale 2, unscaled. */
    private static final long ONE = 100;

    private List<ColumnVector> price;
    private List<ColumnVector> discount;
    private List<ColumnVector> tax;

    @Override
    public void prepare(TpchData tables) {
        super.prepare(tables);
        price = scale2(data, "l_extendedprice");
        discount = scale2(data, "l_discount");
        tax = scale2(data, "l_tax");
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
