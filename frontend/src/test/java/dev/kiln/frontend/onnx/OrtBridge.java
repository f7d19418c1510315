package dev.kiln.frontend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves tensors read by Kiln's reader into ONNX Runtime and compares ONNX Runtime's results with
 * tensors read by the reader. ORT's own accessors decode its outputs, so a comparison checks the
 * reader against an independent decoder.
 */
final class OrtBridge {
    private OrtBridge() {}

    /** Relative and absolute tolerance for floating-point outputs. */
    static final double RTOL = 1e-4, ATOL = 1e-6;

    /** How ORT's metadata for a session's inputs or outputs differs from what the reader decoded. */
    static List<String> declarationMismatches(String kind, List<OnnxValueInfo> declared, Map<String, NodeInfo> ort) {
        List<String> names = declared.stream().map(OnnxValueInfo::name).toList();
        if (!names.equals(List.copyOf(ort.keySet()))) return List.of(kind + "s " + names + " but ORT has " + ort.keySet());
        List<String> mismatches = new ArrayList<>();
        for (OnnxValueInfo v : declared) {
            TensorInfo info = (TensorInfo) ort.get(v.name()).getInfo();
            OnnxType.TensorType type = v.tensorType();
            if (!sameType(type.elementType(), info)) {
                mismatches.add(kind + " " + v.name() + " is " + type.elementType() + " but ORT says " + info.onnxType);
            }
            if (type.shape().isEmpty()) continue; // rank unknown: nothing to compare
            List<OnnxDim> shape = type.shape().get();
            long[] sizes = shape.stream().mapToLong(d -> d instanceof OnnxDim.Known(long size) ? size : -1).toArray();
            String[] dimNames = shape.stream().map(d -> d instanceof OnnxDim.Symbolic(String name) ? name : "").toArray(String[]::new);
            if (!Arrays.equals(sizes, info.getShape()) || !Arrays.equals(dimNames, info.getDimensionNames())) {
                mismatches.add(kind + " " + v.name() + " has shape " + shape + " but ORT says "
                        + Arrays.toString(info.getShape()) + " " + Arrays.toString(info.getDimensionNames()));
            }
        }
        return mismatches;
    }

    /** Why ORT's Java API cannot create or read tensors of this type; empty when it can. */
    static Optional<String> unsupported(ElementType type) {
        return switch (type) {
            case FLOAT, DOUBLE, INT64, INT32, INT16, INT8, UINT8, BOOL, STRING, FLOAT16, BFLOAT16 -> Optional.empty();
            default -> Optional.of("ORT Java has no " + type + " tensors");
        };
    }

    static ai.onnxruntime.OnnxTensor toOrt(OrtEnvironment env, OnnxTensor t) throws OrtException {
        long[] shape = t.shape();
        return switch (t.type()) {
            case FLOAT -> ai.onnxruntime.OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
            case DOUBLE -> ai.onnxruntime.OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.doubles()), shape);
            case INT64 -> ai.onnxruntime.OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
            case INT32 -> ai.onnxruntime.OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), shape);
            case INT16 -> ai.onnxruntime.OnnxTensor.createTensor(env, ShortBuffer.wrap(shorts(t.ints())), shape);
            case INT8 -> ai.onnxruntime.OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.INT8);
            case UINT8 -> ai.onnxruntime.OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.UINT8);
            case BOOL -> {
                boolean[] b = t.booleans();
                byte[] bytes = new byte[b.length];
                for (int i = 0; i < b.length; i++) bytes[i] = (byte) (b[i] ? 1 : 0);
                yield ai.onnxruntime.OnnxTensor.createTensor(env, ByteBuffer.wrap(bytes), shape, OnnxJavaType.BOOL);
            }
            case FLOAT16, BFLOAT16 -> {
                // back to the 16 stored bits: exact, since the floats were widened from them
                float[] f = t.floats();
                short[] bits = new short[f.length];
                for (int i = 0; i < f.length; i++) {
                    bits[i] = t.type() == ElementType.FLOAT16 ? Float.floatToFloat16(f[i]) : (short) (Float.floatToRawIntBits(f[i]) >>> 16);
                }
                yield ai.onnxruntime.OnnxTensor.createTensor(env, ShortBuffer.wrap(bits), shape,
                        t.type() == ElementType.FLOAT16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16);
            }
            case STRING -> ai.onnxruntime.OnnxTensor.createTensor(env, t.strings(), shape);
            default -> throw new IllegalArgumentException(unsupported(t.type()).orElseThrow());
        };
    }

    /** How ORT's output differs from the expected tensor; empty when it matches. */
    static Optional<String> compare(OnnxTensor expected, ai.onnxruntime.OnnxTensor actual) throws OrtException {
        TensorInfo info = actual.getInfo();
        if (!sameType(expected.type(), info)) {
            return Optional.of("type " + info.onnxType + " where " + expected.type() + " was expected");
        }
        if (!Arrays.equals(info.getShape(), expected.shape())) {
            return Optional.of("shape " + Arrays.toString(info.getShape()) + " where " + expected.dims() + " was expected");
        }
        return switch (expected.type()) {
            case FLOAT, FLOAT16, BFLOAT16 -> close(toDoubles(expected.floats()), toDoubles(floats(actual.getFloatBuffer())));
            case DOUBLE -> close(expected.doubles(), doubles(actual.getDoubleBuffer()));
            case INT64 -> same(expected.longs(), longs(actual.getLongBuffer()));
            case INT32 -> same(widen(expected.ints()), widen(ints(actual.getIntBuffer())));
            case INT16 -> same(widen(expected.ints()), widen(shortsToInts(actual.getShortBuffer())));
            case INT8, UINT8 -> same(widen(expected.bytes()), widen(bytes(actual.getByteBuffer())));
            case BOOL -> {
                boolean[] b = expected.booleans();
                byte[] a = bytes(actual.getByteBuffer());
                long[] e = new long[b.length];
                for (int i = 0; i < b.length; i++) e[i] = b[i] ? 1 : 0;
                yield same(e, widen(a));
            }
            case STRING -> {
                List<Object> flat = new ArrayList<>();
                flatten(actual.getValue(), flat);
                yield Arrays.asList(expected.strings()).equals(flat) ? Optional.empty()
                        : Optional.of("strings " + flat + " where " + Arrays.toString(expected.strings()) + " were expected");
            }
            default -> Optional.of("cannot compare " + expected.type());
        };
    }

    /** ORT names its element types after ONNX's (its enum values are not ONNX's codes). */
    static boolean sameType(ElementType type, TensorInfo info) {
        return info.onnxType.name().equals("ONNX_TENSOR_ELEMENT_DATA_TYPE_" + type.name());
    }

    private static Optional<String> close(double[] expected, double[] actual) {
        if (expected.length != actual.length) return Optional.of(actual.length + " values where " + expected.length + " were expected");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Double.isInfinite(e) ? e == a : Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
            if (!ok) return Optional.of("element " + i + " is " + a + " where " + e + " was expected");
        }
        return Optional.empty();
    }

    private static Optional<String> same(long[] expected, long[] actual) {
        if (expected.length != actual.length) return Optional.of(actual.length + " values where " + expected.length + " were expected");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) return Optional.of("element " + i + " is " + actual[i] + " where " + expected[i] + " was expected");
        }
        return Optional.empty();
    }

    private static void flatten(Object value, List<Object> out) {
        if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) flatten(Array.get(value, i), out);
        } else {
            out.add(value);
        }
    }

    private static short[] shorts(int[] v) {
        short[] out = new short[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (short) v[i];
        return out;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    private static long[] widen(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    private static long[] widen(byte[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    private static float[] floats(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private static double[] doubles(DoubleBuffer b) {
        double[] out = new double[b.remaining()];
        b.get(out);
        return out;
    }

    private static long[] longs(LongBuffer b) {
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }

    private static int[] ints(IntBuffer b) {
        int[] out = new int[b.remaining()];
        b.get(out);
        return out;
    }

    private static int[] shortsToInts(ShortBuffer b) {
        int[] out = new int[b.remaining()];
        for (int i = 0; i < out.length; i++) out[i] = b.get();
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
