package dev.kiln.frontend.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal protobuf writer for building test messages by hand, field by field. It records where
 * each top-level field ends, so truncation tests know which prefixes are whole messages.
 */
final class ProtoBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> fieldEnds = new ArrayList<>();

    ProtoBytes varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return end();
    }

    ProtoBytes fixed32(int field, int bits) {
        tag(field, 5);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return end();
    }

    ProtoBytes float32(int field, float value) {
        return fixed32(field, Float.floatToRawIntBits(value));
    }

    ProtoBytes fixed64(int field, long bits) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        return end();
    }

    ProtoBytes float64(int field, double value) {
        return fixed64(field, Double.doubleToRawLongBits(value));
    }

    ProtoBytes bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return end();
    }

    ProtoBytes string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes message(int field, ProtoBytes message) {
        return bytes(field, message.toByteArray());
    }

    ProtoBytes packedVarints(int field, long... values) {
        ProtoBytes body = new ProtoBytes();
        for (long v : values) body.rawVarint(v);
        return bytes(field, body.toByteArray());
    }

    ProtoBytes packedFloats(int field, float... values) {
        ProtoBytes body = new ProtoBytes();
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            for (int i = 0; i < 4; i++) body.out.write(bits >>> (8 * i));
        }
        return bytes(field, body.toByteArray());
    }

    ProtoBytes packedDoubles(int field, double... values) {
        ProtoBytes body = new ProtoBytes();
        for (double v : values) {
            long bits = Double.doubleToRawLongBits(v);
            for (int i = 0; i < 8; i++) body.out.write((int) (bits >>> (8 * i)));
        }
        return bytes(field, body.toByteArray());
    }

    /** Bytes written as they are (a malformed tag or a group, for error tests). */
    ProtoBytes raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return end();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** The offsets just after each top-level field: the prefixes that are whole messages. */
    List<Integer> fieldEnds() {
        return List.copyOf(fieldEnds);
    }

    void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private ProtoBytes end() {
        fieldEnds.add(out.size());
        return this;
    }
}
