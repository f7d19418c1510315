package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads Thrift's compact protocol, the encoding of Parquet's footer and page headers, straight
 * from a memory segment. Only what Parquet uses: structs, lists, the integer types, binary and
 * bool; unknown fields (and maps, sets, doubles) are skipped so that footers written by newer
 * writers still read. Every read is bounds-checked and a malformed input throws
 * {@link Corrupt} with the byte offset, which callers turn into a message naming the file.
 */
final class ThriftCompactReader {
    static final int STOP = 0, TRUE = 1, FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, DOUBLE = 7, BINARY = 8,
            LIST = 9, SET = 10, MAP = 11, STRUCT = 12;
    /** Deeper nesting than any Parquet structure: a corrupt input, not a real footer. */
    private static final int MAX_DEPTH = 64;

    /** Malformed Thrift input; the message says what and at which byte. */
    static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message);
        }
    }

    private final MemorySegment seg;
    private long pos;
    private final long end;
    private final Deque<Integer> lastIds = new ArrayDeque<>();
    private int lastId;
    private int fieldType;

    ThriftCompactReader(MemorySegment seg, long pos, long end) {
        this.seg = seg;
        this.pos = pos;
        this.end = end;
    }

    long position() {
        return pos;
    }

    private int readByte() {
        if (pos >= end) throw new Corrupt("unexpected end of data at byte " + pos);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new Corrupt("varint longer than 10 bytes at byte " + pos);
    }

    private long readZigzag() {
        long v = readVarint();
        return (v >>> 1) ^ -(v & 1);
    }

    void beginStruct() {
        if (lastIds.size() >= MAX_DEPTH) throw new Corrupt("structures nested more than " + MAX_DEPTH + " deep at byte " + pos);
        lastIds.push(lastId);
        lastId = 0;
    }

    /** The id of the next field of the current struct, or -1 at its end (which also leaves the struct). */
    int nextField() {
        int b = readByte();
        int type = b & 0x0F;
        if (type == STOP) {
            lastId = lastIds.pop();
            return -1;
        }
        int delta = b >>> 4;
        lastId = delta != 0 ? lastId + delta : (short) readZigzag();
        fieldType = type;
        return lastId;
    }

    int fieldType() {
        return fieldType;
    }

    /** A bool field: the value travels in the field header. */
    boolean readBool() {
        return switch (fieldType) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw new Corrupt("expected a bool field, found type " + fieldType + " at byte " + pos);
        };
    }

    int readI32() {
        expectInt();
        long v = readZigzag();
        if (v != (int) v) throw new Corrupt("i32 value out of range at byte " + pos);
        return (int) v;
    }

    long readI64() {
        expectInt();
        return readZigzag();
    }

    private void expectInt() {
        if (fieldType != I16 && fieldType != I32 && fieldType != I64 && fieldType != BYTE) {
            throw new Corrupt("expected an integer field, found type " + fieldType + " at byte " + pos);
        }
    }

    byte[] readBinary() {
        long len = readVarint();
        if (len < 0 || len > end - pos) throw new Corrupt("binary of " + len + " bytes runs past the end at byte " + pos);
        byte[] b = new byte[(int) len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, b.length);
        pos += len;
        return b;
    }

    String readString() {
        return new String(readBinary(), StandardCharsets.UTF_8);
    }

    /** Starts a list; returns its size and leaves the element type in {@link #fieldType}. */
    int beginList() {
        if (fieldType != LIST && fieldType != SET) throw new Corrupt("expected a list, found type " + fieldType + " at byte " + pos);
        int b = readByte();
        long size = b >>> 4;
        if (size == 15) size = readVarint();
        if (size < 0 || size > end - pos) throw new Corrupt("list of " + size + " elements cannot fit in the data at byte " + pos);
        fieldType = b & 0x0F;
        return (int) size;
    }

    /** Skips a value of the current field type (a whole struct, list or map included). */
    void skip() {
        skip(fieldType, 0);
    }

    private void skip(int type, int depth) {
        if (depth > MAX_DEPTH) throw new Corrupt("values nested more than " + MAX_DEPTH + " deep at byte " + pos);
        switch (type) {
            case TRUE, FALSE -> { }
            case BYTE -> readByte();
            case I16, I32, I64 -> readVarint();
            case DOUBLE -> advance(8);
            case BINARY -> advance(readVarint());
            case LIST, SET -> {
                fieldType = type;
                int n = beginList();
                int elem = fieldType;
                for (int i = 0; i < n; i++) {
                    if (elem == TRUE || elem == FALSE) readByte(); // in a list a bool is one byte
                    else skip(elem, depth + 1);
                }
            }
            case MAP -> {
                long n = readVarint();
                if (n > 0) {
                    int kv = readByte();
                    for (long i = 0; i < n; i++) {
                        skip(kv >>> 4, depth + 1);
                        skip(kv & 0x0F, depth + 1);
                    }
                }
            }
            case STRUCT -> {
                beginStruct();
                while (nextField() >= 0) skip(fieldType, depth + 1);
            }
            default -> throw new Corrupt("unknown Thrift type " + type + " at byte " + pos);
        }
    }

    private void advance(long n) {
        if (n < 0 || n > end - pos) throw new Corrupt("value of " + n + " bytes runs past the end at byte " + pos);
        pos += n;
    }
}
