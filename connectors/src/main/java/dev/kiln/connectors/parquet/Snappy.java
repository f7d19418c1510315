package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Snappy block decompression (the raw format Parquet pages use): a varint length, then literals
 * and back-references with 1-, 2- or 4-byte offsets. Every length and offset is checked, so a
 * damaged page is an error, never an out-of-bounds read.
 */
final class Snappy {
    private Snappy() {}

    static byte[] decompress(MemorySegment in, long from, long length) {
        long p = from;
        long end = from + length;
        long n = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end || shift > 35) throw new IllegalStateException("bad snappy length header");
            int b = in.get(ValueLayout.JAVA_BYTE, p++) & 0xFF;
            n |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("snappy block of " + n + " bytes is too large");
        byte[] out = new byte[(int) n];
        int o = 0;
        while (p < end) {
            int tag = in.get(ValueLayout.JAVA_BYTE, p++) & 0xFF;
            switch (tag & 3) {
                case 0 -> {
                    int len = tag >>> 2;
                    if (len >= 60) {
                        int bytes = len - 59;
                        len = 0;
                        for (int i = 0; i < bytes; i++) len |= (in.get(ValueLayout.JAVA_BYTE, p++) & 0xFF) << (8 * i);
                    }
                    len += 1;
                    if (p + len > end || o + len > out.length) throw new IllegalStateException("snappy literal overruns its block");
                    MemorySegment.copy(in, ValueLayout.JAVA_BYTE, p, out, o, len);
                    p += len;
                    o += len;
                }
                case 1 -> {
                    int len = ((tag >>> 2) & 7) + 4;
                    int off = ((tag >>> 5) << 8) | (in.get(ValueLayout.JAVA_BYTE, p++) & 0xFF);
                    o = copy(out, o, off, len);
                }
                case 2 -> {
                    int len = (tag >>> 2) + 1;
                    int off = (in.get(ValueLayout.JAVA_BYTE, p) & 0xFF) | (in.get(ValueLayout.JAVA_BYTE, p + 1) & 0xFF) << 8;
                    p += 2;
                    o = copy(out, o, off, len);
                }
                default -> {
                    int len = (tag >>> 2) + 1;
                    int off = in.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), p);
                    p += 4;
                    o = copy(out, o, off, len);
                }
            }
        }
        if (o != out.length) throw new IllegalStateException("snappy block decoded to " + o + " bytes, header said " + out.length);
        return out;
    }

    private static int copy(byte[] out, int o, int off, int len) {
        if (off <= 0 || off > o || o + len > out.length) throw new IllegalStateException("bad snappy back-reference");
        for (int i = 0; i < len; i++) out[o + i] = out[o - off + i]; // may overlap: byte by byte
        return o + len;
    }
}
