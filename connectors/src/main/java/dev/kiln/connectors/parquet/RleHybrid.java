package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parquet's RLE / bit-packing hybrid, for definition levels and dictionary indices: runs of one
 * repeated value ({@code header & 1 == 0}) and groups of eight bit-packed values, LSB first.
 */
final class RleHybrid {
    private final MemorySegment seg;
    private long pos;
    private final long end;
    private final int bitWidth;
    private int runLeft;
    private int runValue;
    private boolean packed;

    RleHybrid(MemorySegment seg, long pos, long end, int bitWidth) {
        if (bitWidth < 0 || bitWidth > 32) throw new IllegalStateException("bit width " + bitWidth + " out of range");
        this.seg = seg;
        this.pos = pos;
        this.end = end;
        this.bitWidth = bitWidth;
    }

    /** The next {@code n} values into {@code out[0..n)}. */
    void read(int[] out, int n) {
        int i = 0;
        while (i < n) {
            if (runLeft == 0) next();
            int take = Math.min(runLeft, n - i);
            if (packed) {
                for (int k = 0; k < take; k++) out[i + k] = unpack();
            } else {
                java.util.Arrays.fill(out, i, i + take, runValue);
            }
            i += take;
            runLeft -= take;
        }
    }

    private long bitPos;

    private void next() {
        if (pos >= end) throw new IllegalStateException("RLE data ends before all values were read");
        long header = 0;
        for (int shift = 0; ; shift += 7) {
            int b = seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
            header |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        if ((header & 1) == 0) {
            packed = false;
            runLeft = (int) (header >>> 1);
            int bytes = (bitWidth + 7) / 8;
            int v = 0;
            for (int k = 0; k < bytes; k++) v |= (seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF) << (8 * k);
            runValue = v;
        } else {
            packed = true;
            runLeft = (int) (header >>> 1) * 8;
            bitPos = pos * 8;
            pos += (long) (header >>> 1) * bitWidth; // the groups' bytes
        }
    }

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** One packed value: a little-endian word read at its first byte holds all its bits (width ≤ 32, offset ≤ 7). */
    private int unpack() {
        long byteAt = bitPos >>> 3;
        long word;
        if (byteAt + 8 <= seg.byteSize()) {
            word = seg.get(WORD, byteAt);
        } else {
            word = 0;
            for (long i = byteAt, k = 0; i < seg.byteSize(); i++, k++) word |= (seg.get(ValueLayout.JAVA_BYTE, i) & 0xFFL) << (8 * k);
        }
        int v = (int) ((word >>> (bitPos & 7)) & ((1L << bitWidth) - 1));
        bitPos += bitWidth;
        return v;
    }
}
