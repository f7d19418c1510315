package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TensorProto decoding: each value field and raw_data for each element type, and the errors. */
class OnnxTensorReadTest {
    private static ProtoBytes tensor(ElementType type, long... dims) {
        ProtoBytes t = new ProtoBytes();
        if (dims.length > 0) t.packedVarints(1, dims);
        return t.varint(2, type.code()).string(8, "t");
    }

    private static OnnxTensor read(ProtoBytes t) {
        return OnnxTensor.read(t.toByteArray(), "t.pb");
    }

    private static byte[] le(int width, long... values) {
        byte[] out = new byte[values.length * width];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < width; b++) out[i * width + b] = (byte) (values[i] >>> (8 * b));
        }
        return out;
    }

    @Test
    void floatsFromFloatDataAndRawData() {
        assertArrayEquals(new float[] {1.5f, -0f, Float.NaN}, read(tensor(ElementType.FLOAT, 3).packedFloats(4, 1.5f, -0f, Float.NaN)).floats());
        OnnxTensor raw = read(tensor(ElementType.FLOAT, 2).bytes(9, le(4, Float.floatToRawIntBits(2.5f), Float.floatToRawIntBits(-7f))));
        assertArrayEquals(new float[] {2.5f, -7f}, raw.floats());
        assertEquals(List.of(2L), raw.dims());
        assertEquals("t", raw.name());
    }

    @Test
    void halfAndBfloat16AreWidenedExactly() {
        // 1.0, -2.0, +inf, the smallest subnormal 2^-24, NaN
        OnnxTensor half = read(tensor(ElementType.FLOAT16, 5).bytes(9, le(2, 0x3C00, 0xC000, 0x7C00, 0x0001, 0x7E00)));
        assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY, 0x1p-24f, Float.NaN}, half.floats());
        assertArrayEquals(new float[] {1f, -2f}, read(tensor(ElementType.FLOAT16, 2).packedVarints(5, 0x3C00, 0xC000)).floats());
        // bfloat16 is the top half of a float32: 0x4049 is 3.140625
        assertArrayEquals(new float[] {1f, 3.140625f, -0f}, read(tensor(ElementType.BFLOAT16, 3).bytes(9, le(2, 0x3F80, 0x4049, 0x8000))).floats());
        assertArrayEquals(new double[] {3.140625}, read(tensor(ElementType.BFLOAT16, 1).packedVarints(5, 0x4049)).doubles());
    }

    @Test
    void doublesAndLongs() {
        assertArrayEquals(new double[] {Math.E, -1e300}, read(tensor(ElementType.DOUBLE, 2).packedDoubles(10, Math.E, -1e300)).doubles());
        assertArrayEquals(new double[] {0.125}, read(tensor(ElementType.DOUBLE, 1).bytes(9, le(8, Double.doubleToRawLongBits(0.125)))).doubles());
        assertArrayEquals(new long[] {-1, Long.MAX_VALUE}, read(tensor(ElementType.INT64, 2).packedVarints(7, -1, Long.MAX_VALUE)).longs());
        assertArrayEquals(new long[] {-2, 5}, read(tensor(ElementType.INT64, 2).bytes(9, le(8, -2, 5))).longs());
        assertArrayEquals(new long[] {4294967295L}, read(tensor(ElementType.UINT32, 1).bytes(9, le(4, 0xFFFFFFFFL))).longs());
        assertArrayEquals(new long[] {4294967295L}, read(tensor(ElementType.UINT32, 1).packedVarints(11, 4294967295L)).longs());
        assertArrayEquals(new long[] {-1}, read(tensor(ElementType.UINT64, 1).packedVarints(11, -1)).longs());
        assertArrayEquals(new long[] {-3, 200}, read(tensor(ElementType.INT32, 2).packedVarints(5, -3, 200)).longs());
    }

    @Test
    void smallIntegersAreSignOrZeroExtendedFromEitherField() {
        assertArrayEquals(new int[] {-3, 70000}, read(tensor(ElementType.INT32, 2).bytes(9, le(4, -3, 70000))).ints());
        assertArrayEquals(new int[] {-1, 127, -128}, read(tensor(ElementType.INT8, 3).bytes(9, new byte[] {-1, 127, -128})).ints());
        // int32_data holding an INT8 as 255 or -1: both mean -1
        assertArrayEquals(new int[] {-1, -1}, read(tensor(ElementType.INT8, 2).packedVarints(5, 255, -1)).ints());
        assertArrayEquals(new byte[] {-1, -1}, read(tensor(ElementType.INT8, 2).packedVarints(5, 255, -1)).bytes());
        assertArrayEquals(new int[] {255, 0}, read(tensor(ElementType.UINT8, 2).bytes(9, new byte[] {-1, 0})).ints());
        assertArrayEquals(new byte[] {-1, 0}, read(tensor(ElementType.UINT8, 2).bytes(9, new byte[] {-1, 0})).bytes());
        assertArrayEquals(new int[] {65535, 1}, read(tensor(ElementType.UINT16, 2).bytes(9, le(2, 0xFFFF, 1))).ints());
        assertArrayEquals(new int[] {-2, 300}, read(tensor(ElementType.INT16, 2).packedVarints(5, -2, 300)).ints());
    }

    @Test
    void booleansAndStrings() {
        assertArrayEquals(new boolean[] {true, false, true}, read(tensor(ElementType.BOOL, 3).bytes(9, new byte[] {1, 0, 2})).booleans());
        assertArrayEquals(new boolean[] {false, true}, read(tensor(ElementType.BOOL, 2).packedVarints(5, 0, 1)).booleans());
        OnnxTensor s = read(tensor(ElementType.STRING, 2).string(6, "héllo").string(6, ""));
        assertArrayEquals(new String[] {"héllo", ""}, s.strings());
        assertEquals("tensor 't': string element 0 is not valid UTF-8",
                assertThrows(KilnException.class, () -> read(tensor(ElementType.STRING, 1).bytes(6, new byte[] {(byte) 0xFF})).strings()).getMessage());
    }

    @Test
    void scalarsAndEmptyTensors() {
        OnnxTensor scalar = read(tensor(ElementType.INT64).packedVarints(7, 42));
        assertEquals(List.of(), scalar.dims());
        assertEquals(1, scalar.elementCount());
        assertArrayEquals(new long[] {42}, scalar.longs());
        OnnxTensor empty = read(tensor(ElementType.FLOAT, 3, 0));
        assertEquals(0, empty.elementCount());
        assertArrayEquals(new float[0], empty.floats());
        assertArrayEquals(new String[0], read(tensor(ElementType.STRING, 0)).strings());
    }

    @Test
    void accessorsRefuseTypesTheyCannotHoldExactly() {
        OnnxTensor f = read(tensor(ElementType.FLOAT, 1).packedFloats(4, 1f));
        assertEquals("tensor 't' is FLOAT; longs() reads an integer type (UINT64 as its bits)", assertThrows(KilnException.class, f::longs).getMessage());
        OnnxTensor l = read(tensor(ElementType.INT64, 1).packedVarints(7, 1));
        assertEquals("tensor 't' is INT64; ints() reads INT32, INT16, INT8, UINT16 or UINT8", assertThrows(KilnException.class, l::ints).getMessage());
        assertEquals("tensor 't' is INT64; floats() reads FLOAT, FLOAT16 or BFLOAT16", assertThrows(KilnException.class, l::floats).getMessage());
        assertEquals("tensor 't' is INT64; strings() reads STRING", assertThrows(KilnException.class, l::strings).getMessage());
    }

    @Test
    void valuesThatDoNotFitTheShapeOrTypeAreFormatErrors() {
        assertEquals("tensor 't' (FLOAT [3]): raw_data (bytes) holds 8 values where the shape needs 12",
                formatError(tensor(ElementType.FLOAT, 3).bytes(9, new byte[8])));
        assertEquals("tensor 't' (INT64 [2]): float_data is set on a INT64 tensor; it may hold only FLOAT or COMPLEX64",
                formatError(tensor(ElementType.INT64, 2).packedFloats(4, 1, 2)));
        assertEquals("tensor 't' sets more than one of the value fields: raw_data, float_data",
                formatError(tensor(ElementType.FLOAT, 1).bytes(9, new byte[4]).packedFloats(4, 1)));
        assertEquals("tensor 't' (FLOAT [2]): raw_data (bytes) holds 0 values where the shape needs 8 (no value field is set)",
                formatError(tensor(ElementType.FLOAT, 2)));
        assertEquals("tensor 't' has data_type 99, which is not an ONNX element type", formatError(new ProtoBytes().varint(2, 99).string(8, "t")));
        assertEquals("tensor '' (UNDEFINED []): the tensor has no data_type (UNDEFINED)", formatError(new ProtoBytes()));
        assertEquals("tensor 't' has a negative dimension in [2, -1]", formatError(tensor(ElementType.FLOAT, 2, -1)));
        assertEquals("tensor 't' has more than 2^63 elements: [4294967296, 4294967296]", formatError(tensor(ElementType.FLOAT, 1L << 32, 1L << 32)));
        assertEquals("tensor 't' (FLOAT [4611686018427387904]): its 4611686018427387904 elements take more than 2^63 bytes",
                formatError(tensor(ElementType.FLOAT, 1L << 62).bytes(9, new byte[4])));
        assertEquals("tensor 't' (STRING [1]): STRING tensors keep their values in string_data, not raw_data",
                formatError(tensor(ElementType.STRING, 1).bytes(9, new byte[1])));
        assertEquals("segmented tensors (TensorProto.segment) are not supported", formatError(tensor(ElementType.FLOAT).message(3, new ProtoBytes())));
    }

    @Test
    void externalDataIsRefusedWithTheFileItPointsTo() {
        ProtoBytes location = new ProtoBytes().string(1, "location").string(2, "weights.bin");
        ProtoBytes t = tensor(ElementType.FLOAT, 4).message(13, location).message(13, new ProtoBytes().string(1, "offset").string(2, "0")).varint(14, 1);
        assertEquals("tensor 't' keeps its values in an external file ('weights.bin'); Kiln reads self-contained models only:"
                + " save the model with onnx.save_model(model, path, save_as_external_data=False) (possible below 2 GiB)", formatError(t));
    }

    private static String formatError(ProtoBytes t) {
        return assertThrows(OnnxFormatException.class, () -> read(t)).what();
    }
}
