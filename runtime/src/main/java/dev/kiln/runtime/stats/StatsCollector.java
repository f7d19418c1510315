package dev.kiln.runtime.stats;

import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.Histogram;
import dev.kiln.ir.stats.StatsKey;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * Gathers {@link TableStats} from a table's columnar data in one pass per column: exact row and
 * NULL counts and min/max, NDV from a {@link HyperLogLog} over every value's hash, and an
 * equi-depth histogram of {@value #BUCKETS} buckets from an evenly strided sample of at most
 * {@value #SAMPLE} values (sorting a sample rather than the column keeps it linear; the strided
 * sample also covers sorted columns evenly). Columns are collected in parallel.
 */
public final class StatsCollector {
    private StatsCollector() {}

    public static final int BUCKETS = 64;
    static final int SAMPLE = 1 << 16;

    public static TableStats collect(Table table) {
        long rows = table.rowCount();
        List<Optional<ColumnStats>> cols = IntStream.range(0, table.schema().size()).parallel()
                .mapToObj(c -> column(table, c, rows)).toList();
        return new TableStats(rows, cols);
    }

    private static Optional<ColumnStats> column(Table table, int c, long rows) {
        DataType type = table.schema().field(c).type();
        if (!supported(type)) return Optional.empty();
        HyperLogLog hll = new HyperLogLog();
        boolean ordered = StatsKey.ordered(type);
        long stride = Math.max(1, rows / SAMPLE);
        double[] sample = new double[(int) Math.min(rows, SAMPLE + 1)];
        int sampled = 0;
        long nulls = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long row = 0;
        for (Batch b : table.batches()) {
            ColumnVector v = b.column(c);
            for (int r = 0; r < b.rowCount(); r++, row++) {
                if (v.isNull(r)) {
                    nulls++;
                    continue;
                }
                hll.add(hash(v, type, r));
                if (!ordered) continue;
                double k = key(v, type, r);
                if (k < min) min = k;
                if (k > max) max = k;
                if (row % stride == 0 && sampled < sample.length) sample[sampled++] = k;
            }
        }
        long present = rows - nulls;
        double ndv = present == 0 ? 0 : Math.min(present, Math.max(1, Math.round(hll.estimate())));
        if (type instanceof DataType.BooleanType) ndv = Math.min(ndv, 2);
        double nullFraction = rows == 0 ? 0 : (double) nulls / rows;
        if (!ordered || present == 0) {
            return Optional.of(new ColumnStats(ndv, nullFraction, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty()));
        }
        return Optional.of(new ColumnStats(ndv, nullFraction, OptionalDouble.of(min), OptionalDouble.of(max),
                Optional.of(histogram(Arrays.copyOf(sample, sampled), min, max))));
    }

    /** Equi-depth bounds from a sample; the exact min and max are the outer bounds. */
    static Histogram histogram(double[] sample, double min, double max) {
        Arrays.sort(sample);
        int n = sample.length;
        int buckets = Math.max(1, Math.min(BUCKETS, n));
        List<Double> bounds = new ArrayList<>(buckets + 1);
        bounds.add(min);
        for (int i = 1; i < buckets; i++) bounds.add(sample[(int) ((long) i * n / buckets)]);
        bounds.add(max);
        return new Histogram(bounds);
    }

    private static boolean supported(DataType type) {
        return switch (type) {
            case DataType.StructType s -> false;
            case DataType.TensorType t -> false;
            default -> true;
        };
    }

    private static long hash(ColumnVector v, DataType type, int r) {
        return switch (type.physical()) {
            case BOOL, I8 -> Hashing.hashLong(v.getByte(r));
            case I16 -> Hashing.hashLong(v.getShort(r));
            case I32 -> Hashing.hashLong(v.getInt(r));
            case I64 -> Hashing.hashLong(v.getLong(r));
            case F64 -> Hashing.hashDouble(v.getDouble(r));
            case VARCHAR -> Hashing.hashBytes(v.heap(), v.stringOffset(r), v.stringLength(r));
            default -> throw new IllegalStateException("no statistics for " + type.sql());
        };
    }

    /** The {@link StatsKey} of a value, read without boxing. */
    private static double key(ColumnVector v, DataType type, int r) {
        return switch (type) {
            case DataType.IntType i -> switch (i.physical()) {
                case I8 -> v.getByte(r);
                case I16 -> v.getShort(r);
                case I32 -> v.getInt(r);
                default -> v.getLong(r);
            };
            case DataType.DecimalType d -> v.getLong(r) / Math.pow(10, d.scale());
            case DataType.DoubleType d -> v.getDouble(r);
            case DataType.DateType d -> v.getInt(r);
            case DataType.TimestampType t -> v.getLong(r);
            case DataType.VarcharType s -> stringKey(v.heap(), v.stringOffset(r), v.stringLength(r));
            default -> throw new IllegalStateException("no order for " + type.sql());
        };
    }

    private static double stringKey(MemorySegment heap, int off, int len) {
        long k = 0;
        for (int i = 0; i < StatsKey.STRING_PREFIX_BYTES; i++) k = (k << 8) | (i < len ? heap.get(ValueLayout.JAVA_BYTE, off + i) & 0xff : 0);
        return k;
    }
}
