package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.ParquetColumn.Conversion;
import java.lang.foreign.MemorySegment;

/**
 * The decoded dictionary of a column chunk (a PLAIN-encoded page of distinct values) that
 * dictionary-encoded data pages index into. Values are kept converted: {@code long}s,
 * {@code double}s, or string positions in the page, which stays mapped or on the heap for the
 * whole read.
 */
final class DictionaryPage {
    private final Conversion conversion;
    private final int size;
    private final long[] longs;
    private final double[] doubles;
    private final MemorySegment text;
    private final long[] offsets;
    private final int[] lengths;

    DictionaryPage(MemorySegment page, int size, ParquetColumn column) {
        this.conversion = column.conversion();
        this.size = size;
        PlainDecoder d = new PlainDecoder(page, 0, conversion, column.typeLength());
        if (conversion == Conversion.STRING) {
            text = page;
            offsets = new long[size];
            lengths = new int[size];
            for (int i = 0; i < size; i++) {
                d.nextString();
                offsets[i] = d.stringOffset();
                lengths[i] = d.stringLength();
            }
            longs = null;
            doubles = null;
        } else if (conversion.floating()) {
            doubles = new double[size];
            for (int i = 0; i < size; i++) doubles[i] = d.nextDouble();
            longs = null;
            text = null;
            offsets = null;
            lengths = null;
        } else {
            longs = new long[size];
            for (int i = 0; i < size; i++) longs[i] = d.nextLong();
            doubles = null;
            text = null;
            offsets = null;
            lengths = null;
        }
    }

    /** Writes entry {@code k}. */
    void emit(ColumnSliceWriter w, int k) {
        if (k < 0 || k >= size) throw new ParquetFormatException("dictionary index " + k + " is out of range (the dictionary has " + size + " entries)");
        switch (conversion) {
            case STRING -> w.putString(text, offsets[k], lengths[k]);
            case FLOAT, DOUBLE -> w.putDouble(doubles[k]);
            default -> w.putLong(longs[k]);
        }
    }
}
