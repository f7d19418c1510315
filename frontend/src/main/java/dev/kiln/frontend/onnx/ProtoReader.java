package dev.kiln.frontend.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf wire-format decoder over one message: a cursor between {@code start} and {@code end}
 * of a {@link MemorySegment}. ONNX needs only a small part of protobuf (no groups, no maps on the
 * wire beyond repeated messages), so this is written out here instead of depending on protobuf-java
 * and its generated classes.
 *
 * <p>Every length is checked against the bytes that are left before anything is allocated, so a
 * truncated or corrupt input ends in an {@link OnnxFormatException} naming the byte offset and the
 * message path ({@code graph.node[12].attribute[2].t.raw_data}), never an index error or an
 * out-of-memory. Each read method takes the field's name for that message.
 *
 * <p>Use: {@code while (r.next()) switch (r.field()) { case 1 -> x = r.varint("x"); default -> r.skip(); }}
 */
final class ProtoReader {
    /** The wire types ONNX files use; 3 and 4 (groups) are refused, 6 and 7 do not exist. */
    enum WireType { VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 }

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final String source;
    private final String path;
    private final long end;
    private long pos;
    private int field;
    private WireType wireType;
    private long tagStart;

    private ProtoReader(MemorySegment data, long start, long end, String source, String path) {
        this.data = data;
        this.pos = start;
        this.end = end;
        this.source = source;
        this.path = path;
    }

    /** A reader of the whole segment as one message; {@code source} names it in errors (a file name). */
    static ProtoReader of(MemorySegment data, String source) {
        return new ProtoReader(data, 0, data.byteSize(), source, "");
    }

    static ProtoReader of(byte[] data, String source) {
        return of(MemorySegment.ofArray(data), source);
    }

    String source() {
        return source;
    }

    /** The path of this message from the root, empty for the root. */
    String path() {
        return path;
    }

    /** The byte offset of the current field's tag (or the cursor before the first {@link #next()}). */
    long tagOffset() {
        return tagStart;
    }

    /** Reads the next field's tag; false at the end of this message. */
    boolean next() {
        tagStart = pos;
        if (pos >= end) return false;
        long tag = rawVarint("tag");
        long number = tag >>> 3;
        if (number < 1 || number > (1 << 29) - 1) throw error(tagStart, "tag", "field number " + number + " is outside 1..2^29-1");
        field = (int) number;
        wireType = switch ((int) (tag & 7)) {
            case 0 -> WireType.VARINT;
            case 1 -> WireType.FIXED64;
            case 2 -> WireType.LENGTH_DELIMITED;
            case 5 -> WireType.FIXED32;
            case 3, 4 -> throw error(tagStart, "field " + field,
                    "protobuf groups (wire type " + (tag & 7) + ") are not used by ONNX; the data is corrupt or not ONNX");
            default -> throw error(tagStart, "field " + field, "invalid wire type " + (tag & 7));
        };
        return true;
    }

    int field() {
        return field;
    }

    WireType wireType() {
        return wireType;
    }

    /** Skips the current field's value (an unknown or unused field). */
    void skip() {
        String name = "field " + field;
        switch (wireType) {
            case VARINT -> rawVarint(name);
            case FIXED64 -> advance(name, 8);
            case FIXED32 -> advance(name, 4);
            case LENGTH_DELIMITED -> advance(name, length(name));
        }
    }

    long varint(String name) {
        expect(name, WireType.VARINT);
        return rawVarint(name);
    }

    /** An int32 or enum field; negative values arrive sign-extended to 64 bits. */
    int int32(String name) {
        return (int) varint(name);
    }

    float float32(String name) {
        expect(name, WireType.FIXED32);
        long at = advance(name, 4);
        return Float.intBitsToFloat(data.get(INT_LE, at));
    }

    double float64(String name) {
        expect(name, WireType.FIXED64);
        long at = advance(name, 8);
        return Double.longBitsToDouble(data.get(LONG_LE, at));
    }

    /** A string field, which must be valid UTF-8. */
    String string(String name) {
        long at = pos;
        byte[] bytes = bytes(name);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(at, name, "string is not valid UTF-8");
        }
    }

    /** A bytes field, copied. */
    byte[] bytes(String name) {
        return slice(name).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A bytes field as a read-only view of the input, without copying. */
    MemorySegment slice(String name) {
        expect(name, WireType.LENGTH_DELIMITED);
        long len = length(name);
        long at = advance(name, len);
        return data.asSlice(at, len).asReadOnly();
    }

    /** A nested message: a reader over its bytes, whose path is this path + "." + {@code name}. */
    ProtoReader message(String name) {
        expect(name, WireType.LENGTH_DELIMITED);
        long len = length(name);
        long at = advance(name, len);
        return new ProtoReader(data, at, at + len, source, join(name));
    }

    /** A repeated varint field (int32, int64, uint64, bool, enum), packed or one value per tag. */
    void varints(String name, LongList out) {
        if (wireType == WireType.VARINT) {
            out.add(rawVarint(name));
            return;
        }
        expect(name, WireType.LENGTH_DELIMITED);
        long len = length(name);
        long start = pos;
        long stop = start + len;
        // count the values first (one byte without the high bit ends each) to allocate exactly
        long count = 0;
        for (long p = start; p < stop; p++) if (data.get(ValueLayout.JAVA_BYTE, p) >= 0) count++;
        if (len > 0 && data.get(ValueLayout.JAVA_BYTE, stop - 1) < 0) {
            throw error(stop - 1, name, "the last varint of a packed field of " + len + " bytes is cut off");
        }
        reserve(name, out, count);
        ProtoReader packed = new ProtoReader(data, start, stop, source, path);
        while (packed.pos < stop) out.add(packed.rawVarint(name));
        pos = stop;
    }

    /** A repeated float (as its bits) or fixed32 field, packed or one value per tag. */
    void fixed32s(String name, LongList out) {
        fixedWidth(name, out, WireType.FIXED32, 4);
    }

    /** A repeated double (as its bits) or fixed64 field, packed or one value per tag. */
    void fixed64s(String name, LongList out) {
        fixedWidth(name, out, WireType.FIXED64, 8);
    }

    private void fixedWidth(String name, LongList out, WireType single, int width) {
        if (wireType == single) {
            long at = advance(name, width);
            out.add(width == 4 ? data.get(INT_LE, at) & 0xFFFFFFFFL : data.get(LONG_LE, at));
            return;
        }
        expect(name, WireType.LENGTH_DELIMITED);
        long len = length(name);
        if (len % width != 0) throw error(pos, name, "packed field of " + len + " bytes is not a multiple of " + width);
        long at = advance(name, len);
        reserve(name, out, len / width);
        for (long p = at; p < at + len; p += width) {
            out.add(width == 4 ? data.get(INT_LE, p) & 0xFFFFFFFFL : data.get(LONG_LE, p));
        }
    }

    private void reserve(String name, LongList out, long count) {
        if (out.size() + count > LongList.MAX_SIZE) {
            throw error(pos, name, "more than " + LongList.MAX_SIZE + " values in one repeated field");
        }
        out.reserve((int) count);
    }

    /** An error at the current field, for the message decoders' own checks. */
    OnnxFormatException error(String name, String what) {
        return error(tagStart, name, what);
    }

    /** An error about this message as a whole (a missing field), at its end. */
    OnnxFormatException messageError(String what) {
        return new OnnxFormatException(source, end, path.isEmpty() ? "(model)" : path, what);
    }

    private OnnxFormatException error(long at, String name, String what) {
        return new OnnxFormatException(source, at, join(name), what);
    }

    private String join(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private void expect(String name, WireType type) {
        if (wireType != type) {
            throw error(tagStart, name, "wire type " + wireType + " where " + type + " was expected; the data is corrupt or not this message");
        }
    }

    /** A length prefix, checked against the bytes left in this message. */
    private long length(String name) {
        long at = pos;
        long len = rawVarint(name);
        if (len < 0 || len > end - pos) {
            throw error(at, name, "declared length " + Long.toUnsignedString(len) + " exceeds the " + (end - pos)
                    + " bytes left" + where());
        }
        return len;
    }

    /**
     * Where bytes ran out: in the file (the root message ends where the data ends, so a cut-off
     * file is found there first) or in an enclosing message, whose own length is then wrong.
     */
    private String where() {
        return path.isEmpty() ? " in the file (is it truncated?)" : " in " + path;
    }

    /** Moves past {@code n} bytes and returns where they start. */
    private long advance(String name, long n) {
        if (n > end - pos) {
            throw error(pos, name, "needs " + n + " bytes but only " + (end - pos) + " are left" + where());
        }
        long at = pos;
        pos += n;
        return at;
    }

    private long rawVarint(String name) {
        long at = pos;
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) throw error(at, name, "varint is cut off after " + (pos - at) + " bytes" + where());
            byte b = data.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw error(at, name, "varint is longer than 10 bytes");
    }
}
