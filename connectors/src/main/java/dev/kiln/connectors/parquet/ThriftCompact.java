package dev.kiln.connectors.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder of the Thrift compact protocol, as Parquet writes its footer and page headers. It
 * decodes any struct generically into field id → value (Long for integers, byte[] for binary,
 * Boolean, Double, List, or a nested {@link Struct}), so fields Kiln does not know are read and
 * ignored rather than breaking the parse; {@link ParquetMetadata} picks out what it needs.
 */
final class ThriftCompact {
    /** A decoded struct: field id → value. */
    record Struct(Map<Short, Object> fields) {
        long i64(int id, long otherwise) {
            return fields.get((short) id) instanceof Long v ? v : otherwise;
        }

        int i32(int id, int otherwise) {
            return fields.get((short) id) instanceof Long v ? (int) (long) v : otherwise;
        }

        boolean has(int id) {
            return fields.containsKey((short) id);
        }

        byte[] binary(int id) {
            return fields.get((short) id) instanceof byte[] b ? b : null;
        }

        String string(int id) {
            byte[] b = binary(id);
            return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        Struct struct(int id) {
            return fields.get((short) id) instanceof Struct s ? s : null;
        }

        @SuppressWarnings("unchecked")
        List<Object> list(int id) {
            return fields.get((short) id) instanceof List<?> l ? (List<Object>) l : List.of();
        }
    }

    private final MemorySegment seg;
    private long pos;
    private final long end;

    ThriftCompact(MemorySegment seg, long pos, long end) {
        this.seg = seg;
        this.pos = pos;
        this.end = end;
    }

    long position() {
        return pos;
    }

    private int readByte() {
        if (pos >= end) throw new IllegalStateException("Thrift data ends early at byte " + pos);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalStateException("malformed varint at byte " + pos);
    }

    private long zigzag() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    Struct struct() {
        Map<Short, Object> fields = new HashMap<>();
        short last = 0;
        while (true) {
            int header = readByte();
            if (header == 0) return new Struct(fields);
            int type = header & 0x0F;
            int delta = header >>> 4;
            short id = delta != 0 ? (short) (last + delta) : (short) zigzag();
            last = id;
            fields.put(id, value(type));
        }
    }

    private Object value(int type) {
        return switch (type) {
            case 1 -> Boolean.TRUE;
            case 2 -> Boolean.FALSE;
            case 3 -> (long) (byte) readByte();
            case 4, 5, 6 -> zigzag();
            case 7 -> {
                long bits = 0;
                for (int i = 0; i < 8; i++) bits |= (long) readByte() << (8 * i);
                yield Double.longBitsToDouble(bits);
            }
            case 8 -> {
                int n = (int) varint();
                if (n < 0 || pos + n > end) throw new IllegalStateException("binary of " + n + " bytes overruns the Thrift data at byte " + pos);
                byte[] b = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
                pos += n;
                yield b;
            }
            case 9, 10 -> {
                int header = readByte();
                int n = header >>> 4;
                if (n == 15) n = (int) varint();
                int elem = header & 0x0F;
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(elem == 1 || elem == 2 ? readByte() == 1 : value(elem));
                yield out;
            }
            case 11 -> {
                int n = (int) varint();
                if (n > 0) {
                    int kv = readByte();
                    for (int i = 0; i < n; i++) {
                        value(kv >>> 4);
                        value(kv & 0x0F);
                    }
                }
                yield Map.of();
            }
            case 12 -> struct();
            default -> throw new IllegalStateException("unknown Thrift compact type " + type + " at byte " + (pos - 1));
        };
    }
}
