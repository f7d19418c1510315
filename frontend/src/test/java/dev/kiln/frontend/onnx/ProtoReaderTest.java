package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire-format decoder on hand-built messages, values and errors exact. */
class ProtoReaderTest {
    private static final long[] VARINTS = {0, 1, 127, 128, 300, Integer.MAX_VALUE, -1, Long.MAX_VALUE, Long.MIN_VALUE, -5};

    @Test
    void varintsRoundTripIncludingTenByteNegatives() {
        ProtoBytes w = new ProtoBytes();
        for (long v : VARINTS) w.varint(1, v);
        ProtoReader r = ProtoReader.of(w.toByteArray(), "t");
        List<Long> read = new ArrayList<>();
        while (r.next()) read.add(r.varint("v"));
        assertEquals(List.of(0L, 1L, 127L, 128L, 300L, (long) Integer.MAX_VALUE, -1L, Long.MAX_VALUE, Long.MIN_VALUE, -5L), read);
        // an int32 -5 is written sign-extended to 10 bytes, as protobuf does
        assertEquals(10, new ProtoBytes().varint(1, -5).toByteArray().length - 1);
    }

    @Test
    void fixedWidthValuesAreLittleEndian() {
        byte[] bytes = new ProtoBytes().float32(1, -1.5f).float64(2, Math.PI).fixed32(3, 0x01020304).toByteArray();
        assertEquals(0x04, bytes[bytes.length - 4]); // little-endian: low byte first
        ProtoReader r = ProtoReader.of(bytes, "t");
        assertTrue(r.next());
        assertEquals(-1.5f, r.float32("f"));
        assertTrue(r.next());
        assertEquals(Math.PI, r.float64("d"));
        assertTrue(r.next());
        assertEquals(Float.intBitsToFloat(0x01020304), r.float32("bits"));
        assertFalse(r.next());
    }

    @Test
    void repeatedFieldsArePackedUnpackedOrMixed() {
        byte[] bytes = new ProtoBytes()
                .packedVarints(1, 1, 2, -3).varint(1, 4).packedVarints(1, 500)
                .packedFloats(2, 1f, 2f).float32(2, 3f)
                .float64(3, 0.5).packedDoubles(3, 1.5, -2.5)
                .packedVarints(1)
                .toByteArray();
        LongList ints = new LongList(), floats = new LongList(), doubles = new LongList();
        ProtoReader r = ProtoReader.of(bytes, "t");
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.varints("ints", ints);
                case 2 -> r.fixed32s("floats", floats);
                case 3 -> r.fixed64s("doubles", doubles);
                default -> r.skip();
            }
        }
        assertArrayEquals(new long[] {1, 2, -3, 4, 500}, ints.toLongArray());
        assertArrayEquals(new float[] {1f, 2f, 3f}, floats.toFloatArray());
        assertArrayEquals(new double[] {0.5, 1.5, -2.5}, doubles.toDoubleArray());
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() {
        byte[] bytes = new ProtoBytes()
                .varint(100, -1).fixed64(101, 7).string(102, "skip me").fixed32(103, 9)
                .message(104, new ProtoBytes().varint(1, 1).string(2, "nested"))
                .string(9, "wanted").varint(536_870_911, 3)
                .toByteArray();
        ProtoReader r = ProtoReader.of(bytes, "t");
        String wanted = null;
        int fields = 0;
        while (r.next()) {
            fields++;
            if (r.field() == 9) wanted = r.string("wanted");
            else r.skip();
        }
        assertEquals("wanted", wanted);
        assertEquals(7, fields);
    }

    @Test
    void groupsAreRefused() {
        var e = assertThrows(OnnxFormatException.class, () -> ProtoReader.of(new byte[] {0x0B, 0x0C}, "g.onnx").next());
        assertEquals("protobuf groups (wire type 3) are not used by ONNX; the data is corrupt or not ONNX", e.what());
        assertEquals(0, e.offset());
        assertEquals("field 1", e.path());
        assertThrows(OnnxFormatException.class, () -> ProtoReader.of(new byte[] {0x0C}, "g").next());
    }

    @Test
    void invalidWireTypesAndFieldNumbersAreRefused() {
        assertEquals("invalid wire type 7", assertThrows(OnnxFormatException.class, () -> ProtoReader.of(new byte[] {0x0F}, "t").next()).what());
        assertEquals("invalid wire type 6", assertThrows(OnnxFormatException.class, () -> ProtoReader.of(new byte[] {0x0E}, "t").next()).what());
        assertEquals("field number 0 is outside 1..2^29-1", assertThrows(OnnxFormatException.class, () -> ProtoReader.of(new byte[] {0x00}, "t").next()).what());
    }

    @Test
    void aLengthBeyondTheEndIsReportedWithOffsetAndPath() {
        // field 1, length-delimited, declares 100 bytes, 3 follow
        byte[] bytes = {0x0A, 100, 1, 2, 3};
        ProtoReader r = ProtoReader.of(bytes, "m.onnx");
        assertTrue(r.next());
        var e = assertThrows(OnnxFormatException.class, () -> r.bytes("raw_data"));
        assertEquals("declared length 100 exceeds the 3 bytes left in the file (is it truncated?)", e.what());
        assertEquals(1, e.offset());
        assertEquals("raw_data", e.path());
        assertEquals("m.onnx: declared length 100 exceeds the 3 bytes left in the file (is it truncated?) (at byte 1, reading raw_data)", e.getMessage());
    }

    @Test
    void aHugeDeclaredLengthIsRefusedBeforeAllocating() {
        ProtoBytes w = new ProtoBytes();
        w.tag(4, 2);
        w.rawVarint(Long.MAX_VALUE);
        ProtoReader r = ProtoReader.of(w.toByteArray(), "t");
        assertTrue(r.next());
        assertTrue(assertThrows(OnnxFormatException.class, () -> r.fixed32s("float_data", new LongList())).what()
                .startsWith("declared length 9223372036854775807 exceeds the 0 bytes left"));
    }

    @Test
    void nestedPathsNameEveryLevel() {
        ProtoBytes node = new ProtoBytes().raw(0x1A, 9, 'a'); // name: 9 bytes declared, 1 present
        byte[] bytes = new ProtoBytes().message(7, new ProtoBytes().string(2, "g").message(1, node)).toByteArray();
        ProtoReader r = ProtoReader.of(bytes, "m");
        assertTrue(r.next());
        ProtoReader graph = r.message("graph");
        assertTrue(graph.next());
        graph.skip();
        assertTrue(graph.next());
        ProtoReader n = graph.message("node[3]");
        assertTrue(n.next());
        var e = assertThrows(OnnxFormatException.class, () -> n.string("name"));
        assertEquals("graph.node[3].name", e.path());
        assertEquals("declared length 9 exceeds the 1 bytes left in graph.node[3]", e.what());
        assertEquals(bytes.length - 2, e.offset());
    }

    @Test
    void cutOffValuesAndBadPackedLengths() {
        assertEquals("varint is cut off after 1 bytes in the file (is it truncated?)", assertThrows(OnnxFormatException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x08, (byte) 0x80}, "t");
            r.next();
            r.varint("ir_version");
        }).what());
        assertEquals("varint is longer than 10 bytes", assertThrows(OnnxFormatException.class, () -> {
            byte[] b = new byte[12];
            java.util.Arrays.fill(b, (byte) 0xFF);
            b[0] = 0x08;
            ProtoReader r = ProtoReader.of(b, "t");
            r.next();
            r.varint("v");
        }).what());
        assertEquals("needs 4 bytes but only 2 are left in the file (is it truncated?)", assertThrows(OnnxFormatException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x15, 1, 2}, "t");
            r.next();
            r.float32("f");
        }).what());
        assertEquals("packed field of 5 bytes is not a multiple of 4", assertThrows(OnnxFormatException.class, () -> {
            ProtoReader r = ProtoReader.of(new ProtoBytes().bytes(4, new byte[5]).toByteArray(), "t");
            r.next();
            r.fixed32s("float_data", new LongList());
        }).what());
        assertEquals("the last varint of a packed field of 2 bytes is cut off", assertThrows(OnnxFormatException.class, () -> {
            ProtoReader r = ProtoReader.of(new ProtoBytes().bytes(1, new byte[] {1, (byte) 0x81}).toByteArray(), "t");
            r.next();
            r.varints("dims", new LongList());
        }).what());
    }

    @Test
    void aFieldOfTheWrongWireTypeIsAnError() {
        ProtoReader r = ProtoReader.of(new ProtoBytes().varint(8, 1).toByteArray(), "t");
        r.next();
        var e = assertThrows(OnnxFormatException.class, () -> r.string("name"));
        assertEquals("name", e.path());
        assertEquals("wire type VARINT where LENGTH_DELIMITED was expected; the data is corrupt or not this message", e.what());
    }

    @Test
    void stringsMustBeUtf8() {
        ProtoReader r = ProtoReader.of(new ProtoBytes().bytes(1, new byte[] {'a', (byte) 0xC3}).toByteArray(), "t");
        r.next();
        assertEquals("string is not valid UTF-8", assertThrows(OnnxFormatException.class, () -> r.string("name")).what());
        ProtoReader ok = ProtoReader.of(new ProtoBytes().string(1, "größe ✓").toByteArray(), "t");
        ok.next();
        assertEquals("größe ✓", ok.string("name"));
    }

    @Test
    void readsNativeMemorySegmentsAndSlicesWithoutCopying() {
        byte[] bytes = new ProtoBytes().varint(1, 300).bytes(9, new byte[] {5, 6, 7}).toByteArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, native_, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ProtoReader r = ProtoReader.of(native_, "native");
            assertTrue(r.next());
            assertEquals(300, r.varint("v"));
            assertTrue(r.next());
            MemorySegment raw = r.slice("raw_data");
            assertTrue(raw.isNative());
            assertTrue(raw.isReadOnly());
            assertArrayEquals(new byte[] {5, 6, 7}, raw.toArray(ValueLayout.JAVA_BYTE));
            assertFalse(r.next());
        }
    }
}
