package dev.kiln.benchmarks.jmh;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.vector.ColumnVector;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The JMH state every TPC-H kernel shares: the scale factor parameter, the tables (from the
 * shared TPC-H cache, or handed in by a test through {@link #prepare}), and their release.
 * Subclasses set up their inputs in {@link #prepare} and free what they built in {@link #release};
 * they inherit the run settings below (JMH reads class annotations up the hierarchy).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class TpchKernel {
    @Param("1")
    public String sf;

    protected TpchData data;
    private boolean ownsData;

    @Setup
    public void setup() {
        prepare(TpchData.tpch(Double.parseDouble(sf)));
        ownsData = true;
    }

    /** Sets the kernel up over {@code tables} (tests pass small generated ones, which they close). */
    public void prepare(TpchData tables) {
        data = tables;
    }

    /** Frees what {@link #prepare} built (nothing by default). */
    protected void release() {}

    @TearDown
    public void tearDown() {
        release();
        if (ownsData) data.close();
    }

    /** A lineitem DECIMAL column with scale 2, without NULLs, as the hand-written loops read it. */
    protected static List<ColumnVector> scale2(TpchData data, String column) {
        List<ColumnVector> vs = data.column("lineitem", column);
        DataType t = vs.getFirst().type();
        if (!(t instanceof DataType.DecimalType d) || d.scale() != 2 || vs.stream().anyMatch(ColumnVector::hasNulls)) {
            throw new KilnException("the kernel needs " + column + " as a NOT NULL DECIMAL with scale 2, not " + t.sql());
        }
        return vs;
    }
}
