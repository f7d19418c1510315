package dev.kiln.runtime.sort;

import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies selected rows (global indices over the input batches) into new batches of at most
 * {@link Table#MORSEL_ROWS} rows, one column at a time with a loop per physical width.
 */
final class Gather {
    private Gather() {}

    static List<Batch> gather(List<Batch> input, Schema schema, int[] starts, int[] rows, int from, int to, QueryMemory mem) {
        List<Batch> out = new ArrayList<>();
        int[] srcBatch = new int[Math.min(Table.MORSEL_ROWS, Math.max(0, to - from))];
        int[] srcRow = new int[srcBatch.length];
        for (int lo = from; lo < to; lo += Table.MORSEL_ROWS) {
            int count = Math.min(Table.MORSEL_ROWS, to - lo);
            for (int i = 0; i < count; i++) {
                int g = rows[lo + i];
                int b = batchOf(starts, g);
                srcBatch[i] = b;
                srcRow[i] = g - starts[b];
            }
            List<ColumnVector> cols = new ArrayList<>(schema.size());
            for (int c = 0; c < schema.size(); c++) cols.add(column(input, c, schema, srcBatch, srcRow, count, mem));
            Batch b = new Batch(schema, cols, count);
            // a large sorted output leaves the budget batch by batch, as it is produced
            out.add(dev.kiln.runtime.spill.BatchSpill.overThreshold(mem) ? dev.kiln.runtime.spill.BatchSpill.offload(b, mem) : b);
        }
        return out;
    }

    /** The batch holding global row g: the last b with starts[b] &lt;= g (starts has one extra end entry). */
    private static int batchOf(int[] starts, int g) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= g) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private static ColumnVector column(List<Batch> input, int c, Schema schema, int[] srcBatch, int[] srcRow, int count, QueryMemory mem) {
        var type = schema.field(c).type();
        PhysicalKind kind = type.physical();
        ColumnVector[] src = new ColumnVector[input.size()];
        boolean anyNulls = false;
        for (int b = 0; b < src.length; b++) {
            src[b] = input.get(b).column(c);
            anyNulls |= src[b].hasNulls();
        }
        MemorySegment validity = MemorySegment.NULL;
        if (anyNulls) {
            validity = mem.allocate(((count + 63L) >>> 6) * 8);
            boolean sawNull = false;
            for (int i = 0; i < count; i++) {
                if (src[srcBatch[i]].isNull(srcRow[i])) {
                    sawNull = true;
                } else {
                    long w = (long) (i >>> 6) << 3;
                    validity.set(ValueLayout.JAVA_LONG_UNALIGNED, w, validity.get(ValueLayout.JAVA_LONG_UNALIGNED, w) | (1L << i));
                }
            }
            if (!sawNull) {
                mem.free(validity);
                validity = MemorySegment.NULL;
            }
        }
        if (kind == PhysicalKind.VARCHAR || kind == PhysicalKind.TENSOR) return strings(type, src, srcBatch, srcRow, count, validity, mem);
        if (!kind.fixedWidth()) throw new IllegalStateException("cannot gather " + type.sql() + " columns");
        int width = kind.width();
        MemorySegment values = mem.allocate((long) count * width);
        switch (width) {
            case 1 -> {
                for (int i = 0; i < count; i++) values.set(ValueLayout.JAVA_BYTE, i, src[srcBatch[i]].values().get(ValueLayout.JAVA_BYTE, srcRow[i]));
            }
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    values.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, src[srcBatch[i]].values().get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * srcRow[i]));
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    values.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, src[srcBatch[i]].values().get(ValueLayout.JAVA_INT_UNALIGNED, 4L * srcRow[i]));
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    values.set(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i, src[srcBatch[i]].values().get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * srcRow[i]));
                }
            }
        }
        return new ColumnVector(type, count, values, MemorySegment.NULL, validity);
    }

    private static ColumnVector strings(dev.kiln.ir.type.DataType type, ColumnVector[] src, int[] srcBatch, int[] srcRow, int count,
            MemorySegment validity, QueryMemory mem) {
        long total = 0;
        for (int i = 0; i < count; i++) total += src[srcBatch[i]].stringLength(srcRow[i]);
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("a sorted string column batch holds more than 2 GB of text");
        MemorySegment offsets = mem.allocate((count + 1L) * 4);
        MemorySegment heap = mem.allocate(total);
        int at = 0;
        for (int i = 0; i < count; i++) {
            ColumnVector v = src[srcBatch[i]];
            int off = v.stringOffset(srcRow[i]);
            int len = v.stringOffset(srcRow[i] + 1) - off;
            MemorySegment.copy(v.heap(), off, heap, at, len);
            at += len;
            offsets.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * (i + 1), at);
        }
        return new ColumnVector(type, count, offsets, heap, validity);
    }
}
