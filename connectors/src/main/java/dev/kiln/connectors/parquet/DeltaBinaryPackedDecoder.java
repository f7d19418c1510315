package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parquet's DELTA_BINARY_PACKED integers (also the lengths inside DELTA_LENGTH_BYTE_ARRAY and
 * DELTA_BYTE_ARRAY): a header (values per block, miniblocks per block, value count, first value),
 * then blocks of a minimum delta and miniblocks of bit-packed deltas above it. Arithmetic wraps
 * as the writer's did, so INT32 columns are narrowed by the caller.
 */
final class DeltaBinaryPackedDecoder {
    private final MemorySegment data;
    private long pos;
    private final long end;

    DeltaBinaryPackedDecoder(MemorySegment data, long start, long end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    /** Where the encoded values end (the start of what follows them in the page). */
    long position() {
        return pos;
    }

    /** Decodes all values (the count is in the header); {@code expected} guards against a corrupt count. */
    long[] decode(int expected) {
        long blockSize = readVarint();
        long miniblocks = readVarint();
        long count = readVarint();
        long first = zigzag(readVarint());
        if (blockSize <= 0 || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0) {
            throw new ParquetFormatException("a DELTA_BINARY_PACKED header has block size " + blockSize + " and " + miniblocks + " miniblocks");
        }
        if (count != expected) throw new ParquetFormatException("a DELTA_BINARY_PACKED run has " + count + " values where " + expected + " were expected");
        long[] out = new long[(int) count];
        if (count == 0) return out;
        out[0] = first;
        int perMini = (int) (blockSize / miniblocks);
        int i = 1;
        long last = first;
        while (i < count) {
            long minDelta = zigzag(readVarint());
            if (miniblocks > end - pos) throw new ParquetFormatException("a DELTA_BINARY_PACKED block ends early");
            long widthsAt = pos;
            pos += miniblocks;
            for (int m = 0; m < miniblocks && i < count; m++) {
                int width = data.get(ValueLayout.JAVA_BYTE, widthsAt + m) & 0xFF;
                if (width > 64) throw new ParquetFormatException("a miniblock bit width of " + width);
                long bytes = (long) perMini * width / 8;
                if (bytes > end - pos) throw new ParquetFormatException("a DELTA_BINARY_PACKED miniblock ends early");
                long bit = pos * 8;
                for (int k = 0; k < perMini && i < count; k++, bit += width) {
                    last = last + minDelta + unpack(bit, width);
                    out[i++] = last;
                }
                pos += bytes;
            }
        }
        return out;
    }

    private long unpack(long bit, int width) {
        if (width == 0) return 0;
        long v = 0;
        int got = 0;
        long b = bit >>> 3;
        int shift = (int) (bit & 7);
        while (got < width) {
            long x = (data.get(ValueLayout.JAVA_BYTE, b++) & 0xFF) >>> shift;
            v |= x << got;
            got += 8 - shift;
            shift = 0;
        }
        return width == 64 ? v : v & ((1L << width) - 1);
    }

    private long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new ParquetFormatException("DELTA_BINARY_PACKED data ends in a header");
            int b = data.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new ParquetFormatException("a varint longer than 10 bytes in DELTA_BINARY_PACKED data");
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
