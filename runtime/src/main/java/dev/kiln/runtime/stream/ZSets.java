package dev.kiln.runtime.stream;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Z-sets as columnar batches: the rows followed by a BIGINT weight column. */
public final class ZSets {
    private ZSets() {}

    /** Weights of +1 to copy from in bulk (a copy runs at memory speed; a store per row through the segment API does not) */
    private static final long[] ONES = new long[4096];

    static {
        java.util.Arrays.fill(ONES, 1L);
    }

    /** The rows with weight +1 each: the batches' columns plus a weight vector of ones (no copy of the rows). */
    public static List<Batch> inserts(List<Batch> rows, Schema zsetSchema, QueryMemory mem) {
        List<Batch> out = new ArrayList<>(rows.size());
        for (Batch b : rows) {
            int n = b.rowCount();
            MemorySegment ones = mem.allocate(Math.max(8, (long) (n + 1) * 8));
            for (int i = 0; i < n; i += ONES.length) MemorySegment.copy(ONES, 0, ones, ValueLayout.JAVA_LONG_UNALIGNED, i * 8L, Math.min(ONES.length, n - i));
            List<ColumnVector> cols = new ArrayList<>(b.columns());
            cols.add(ColumnVector.wrap(DataType.BIGINT, n, ones, MemorySegment.NULL, MemorySegment.NULL));
            out.add(new Batch(zsetSchema, cols, n));
        }
        return out;
    }

    /** Boxed rows (with their weight as the last value, a Long) of the batches. */
    public static List<Object[]> rows(List<Batch> batches) {
        List<Object[]> rows = new ArrayList<>();
        for (Batch b : batches) {
            int width = b.columns().size();
            for (int r = 0; r < b.rowCount(); r++) {
                Object[] row = new Object[width];
                for (int c = 0; c < width; c++) row[c] = b.column(c).getObject(r);
                rows.add(row);
            }
        }
        return rows;
    }

    /** Boxed rows into batches of {@code schema}. */
    public static List<Batch> build(Schema schema, List<Object[]> rows, QueryMemory mem) {
        if (rows.isEmpty()) return List.of();
        TableBuilder tb = new TableBuilder("zset", schema, mem);
        for (Object[] r : rows) tb.appendRow(r);
        return tb.build().batches();
    }

    public static Table table(String name, Schema schema, List<Batch> batches) {
        return new Table(name, schema, batches);
    }

    /** The weight of row {@code r} (the last column). */
    public static long weight(Batch b, int r) {
        ColumnVector w = b.column(b.columns().size() - 1);
        return w.isNull(r) ? 0 : w.getLong(r);
    }

    /** A schema's fields without the trailing weight. */
    public static Schema rowsOf(Schema zset) {
        List<Field> f = zset.fields();
        return new Schema(f.subList(0, f.size() - 1));
    }
}
