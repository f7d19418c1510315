package dev.kiln.benchmarks.jmh;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.util.List;

/**
 * The bytes a full scan of some columns reads in Kiln's columnar layout: per vector, the values
 * (size × width; a VARCHAR's size + 1 int offsets and its UTF-8 bytes) and the validity bitmap
 * when the vector has NULLs. The used length, not the allocation: builders over-allocate, and a
 * scan never touches the slack.
 */
public final class ColumnBytes {
    private ColumnBytes() {}

    public static long of(Table table, List<String> columns) {
        long bytes = 0;
        for (String name : columns) {
            int c = table.schema().indexOf(name)
                    .orElseThrow(() -> new KilnException("table '" + table.name() + "' has no column '" + name + "'; columns: " + table.schema().names()));
            for (Batch b : table.batches()) bytes += of(b.column(c));
        }
        return bytes;
    }

    public static long of(ColumnVector v) {
        long n = v.size();
        PhysicalKind kind = v.type().physical();
        long bytes;
        if (kind == PhysicalKind.VARCHAR) {
            bytes = (n + 1) * Integer.BYTES + (n == 0 ? 0 : v.getInt(v.size()) - v.getInt(0));
        } else if (kind.fixedWidth()) {
            bytes = n * kind.width();
        } else {
            throw new KilnException("no columnar size for " + v.type().sql() + " columns");
        }
        if (v.hasNulls()) bytes += ((n + 63) >>> 6) * Long.BYTES;
        return bytes;
    }
}
