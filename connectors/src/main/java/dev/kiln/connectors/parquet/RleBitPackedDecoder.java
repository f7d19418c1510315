package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parquet's RLE / bit-packing hybrid: a sequence of runs, each either one value repeated
 * (header {@code count << 1}, then the value in ceil(bitWidth/8) little-endian bytes) or groups
 * of 8 values bit-packed LSB first (header {@code groups << 1 | 1}). Used for definition levels,
 * dictionary indices and RLE-encoded booleans.
 */
final class RleBitPackedDecoder {
    private final MemorySegment data;
    private long pos;
    private final long end;
    private final int bitWidth;
    private final long mask;
    /** values left in the current run */
    private int runLeft;
    private boolean packed;
    private int rleValue;
    /** bit position of the next packed value */
    private long bitPos;

    RleBitPackedDecoder(MemorySegment data, long start, long end, int bitWidth) {
        if (bitWidth < 0 || bitWidth > 32) throw new ParquetFormatException("bit width " + bitWidth + " is out of range 0..32");
        this.data = data;
        this.pos = start;
        this.end = end;
        this.bitWidth = bitWidth;
        this.mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
    }

    /** Decodes the next {@code n} values into {@code out[from..from+n)}. */
    void decode(int[] out, int from, int n) {
        int i = from, stop = from + n;
        while (i < stop) {
            if (runLeft == 0) nextRun();
            int take = Math.min(runLeft, stop - i);
            if (packed) {
                for (int k = 0; k < take; k++) out[i + k] = readPacked();
            } else {
                java.util.Arrays.fill(out, i, i + take, rleValue);
            }
            i += take;
            runLeft -= take;
        }
    }

    private void nextRun() {
        long header = readVarint();
        if ((header & 1) == 1) {
            long groups = header >>> 1;
            long bytes = groups * bitWidth;
            if (groups == 0 || bytes > end - pos) throw new ParquetFormatException("a bit-packed run of " + groups + " groups runs past the end of its data");
            packed = true;
            runLeft = (int) (groups * 8);
            bitPos = pos * 8;
            pos += bytes;
        } else {
            long count = header >>> 1;
            int width = (bitWidth + 7) / 8;
            if (count == 0 || count > Integer.MAX_VALUE || width > end - pos) throw new ParquetFormatException("an RLE run of " + count + " values is malformed");
            int v = 0;
            for (int b = 0; b < width; b++) v |= (data.get(ValueLayout.JAVA_BYTE, pos + b) & 0xFF) << (8 * b);
            pos += width;
            packed = false;
            rleValue = v;
            runLeft = (int) count;
        }
    }

    private int readPacked() {
        long byteIndex = bitPos >>> 3;
        int shift = (int) (bitPos & 7);
        // up to 32 bits starting at any bit need at most 5 bytes; read them one by one near the end
        long word = 0;
        int needed = (shift + bitWidth + 7) >>> 3;
        for (int b = 0; b < needed; b++) word |= (long) (data.get(ValueLayout.JAVA_BYTE, byteIndex + b) & 0xFF) << (8 * b);
        bitPos += bitWidth;
        return (int) ((word >>> shift) & mask);
    }

    private long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= end) throw new ParquetFormatException("RLE data ends in the middle of a run header");
            int b = data.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new ParquetFormatException("an RLE run header is longer than 5 bytes");
    }
}
