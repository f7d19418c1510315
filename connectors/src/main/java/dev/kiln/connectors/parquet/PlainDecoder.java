package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.ParquetColumn.Conversion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads PLAIN-encoded values one after the other and converts each to its Kiln representation
 * (see {@link Conversion}): integral values as {@code long}, FLOAT/DOUBLE as {@code double},
 * strings as a position and length in the page. The segment bounds every read, so a page that
 * ends early fails with an out-of-bounds exception, which the chunk reader reports.
 */
final class PlainDecoder {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Julian day number of 1970-01-01 */
    private static final long UNIX_EPOCH_JULIAN_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final MemorySegment data;
    private final Conversion conversion;
    private final int typeLength;
    private long pos;
    private long bit;
    /** the last string's position and length */
    private long stringOffset;
    private int stringLength;

    PlainDecoder(MemorySegment data, long start, Conversion conversion, int typeLength) {
        this.data = data;
        this.pos = start;
        this.bit = start * 8;
        this.conversion = conversion;
        this.typeLength = typeLength;
    }

    long position() {
        return pos;
    }

    void skipBytes(long n) {
        pos += n;
    }

    long nextLong() {
        return switch (conversion) {
            case BOOL -> {
                long b = (data.get(ValueLayout.JAVA_BYTE, bit >>> 3) >>> (bit & 7)) & 1;
                bit++;
                yield b;
            }
            case INT32 -> {
                int v = data.get(INT_LE, pos);
                pos += 4;
                yield v;
            }
            case UINT32 -> {
                int v = data.get(INT_LE, pos);
                pos += 4;
                yield v & 0xFFFF_FFFFL;
            }
            case INT64 -> {
                long v = data.get(LONG_LE, pos);
                pos += 8;
                yield v;
            }
            case INT64_MILLIS -> {
                long v = data.get(LONG_LE, pos);
                pos += 8;
                yield Math.multiplyExact(v, 1000L);
            }
            case INT96 -> {
                long nanosOfDay = data.get(LONG_LE, pos);
                long julianDay = data.get(INT_LE, pos + 8) & 0xFFFF_FFFFL;
                pos += 12;
                yield Math.addExact(Math.multiplyExact(julianDay - UNIX_EPOCH_JULIAN_DAY, MICROS_PER_DAY), Math.floorDiv(nanosOfDay, 1000L));
            }
            case BINARY_DECIMAL -> {
                int len = typeLength > 0 ? typeLength : nextLength();
                long v = bigEndian(data, pos, len);
                pos += len;
                yield v;
            }
            case FLOAT, DOUBLE, STRING -> throw new IllegalStateException(conversion + " is not integral");
        };
    }

    double nextDouble() {
        if (conversion == Conversion.FLOAT) {
            float f = data.get(FLOAT_LE, pos);
            pos += 4;
            return f;
        }
        double d = data.get(DOUBLE_LE, pos);
        pos += 8;
        return d;
    }

    /** Advances to the next string; read it with {@link #stringOffset()} and {@link #stringLength()}. */
    void nextString() {
        stringLength = nextLength();
        stringOffset = pos;
        if (stringLength > data.byteSize() - pos) throw new ParquetFormatException("a string of " + stringLength + " bytes runs past the end of its page");
        pos += stringLength;
    }

    long stringOffset() {
        return stringOffset;
    }

    int stringLength() {
        return stringLength;
    }

    private int nextLength() {
        int len = data.get(INT_LE, pos);
        if (len < 0) throw new ParquetFormatException("negative byte array length " + len);
        pos += 4;
        return len;
    }

    /** A big-endian two's complement integer of {@code len} bytes that must fit in a long. */
    static long bigEndian(MemorySegment data, long at, int len) {
        int skip = Math.max(0, len - 8);
        long v = 0;
        for (int i = skip; i < len; i++) v = (v << 8) | (data.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF);
        if (len < 8 && len > 0) v = (v << (64 - 8 * len)) >> (64 - 8 * len); // sign-extend
        // bytes beyond the low 8 may only repeat the sign
        byte sign = (byte) (v >> 63);
        for (int i = 0; i < skip; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, at + i) != sign) throw new ParquetFormatException("a DECIMAL value does not fit in 18 digits");
        }
        return v;
    }
}
