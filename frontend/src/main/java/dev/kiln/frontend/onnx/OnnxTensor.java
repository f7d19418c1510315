package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * An ONNX {@code TensorProto}: an initializer, a constant attribute, or a test data file
 * ({@code input_0.pb}). The values stay as stored ({@link TensorData}); the accessors turn them
 * into Java arrays in row-major order, each allowed only for the element types it can hold
 * exactly. The constructor checks that the data fits the type and shape.
 *
 * @param name the tensor's name, empty when it has none
 * @param dims the shape, outermost first; empty for a scalar
 */
public record OnnxTensor(String name, List<Long> dims, ElementType type, TensorData data) {
    public OnnxTensor {
        dims = List.copyOf(dims);
        long count = 1;
        for (long d : dims) {
            if (d < 0) throw new KilnException("tensor '" + name + "' has a negative dimension in " + dims);
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new KilnException("tensor '" + name + "' has more than 2^63 elements: " + dims);
            }
        }
        var problem = TensorValues.problem(type, count, data);
        if (problem.isPresent()) throw new KilnException("tensor '" + name + "' (" + type + " " + dims + "): " + problem.get());
    }

    /** Reads a serialized TensorProto file, such as the ONNX test data's {@code input_0.pb}. */
    public static OnnxTensor read(Path file) {
        return TensorDecoder.file(OnnxFiles.readAll(file), file.toString());
    }

    /** Reads a serialized TensorProto; {@code source} names it in errors. The bytes are copied. */
    public static OnnxTensor read(byte[] bytes, String source) {
        return TensorDecoder.file(bytes.clone(), source);
    }

    /** Reads a serialized TensorProto from a stream (a jar resource); does not close it. */
    public static OnnxTensor read(InputStream in, String source) throws IOException {
        return TensorDecoder.file(OnnxFiles.readAll(in, source), source);
    }

    /** The shape as an array. */
    public long[] shape() {
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** The number of elements: the product of the dimensions, 1 for a scalar. */
    public long elementCount() {
        long count = 1;
        for (long d : dims) count *= d;
        return count;
    }

    /** FLOAT values; FLOAT16 and BFLOAT16 widened exactly. */
    public float[] floats() {
        return TensorValues.floats(this);
    }

    /** DOUBLE values; FLOAT, FLOAT16 and BFLOAT16 widened exactly. */
    public double[] doubles() {
        return TensorValues.doubles(this);
    }

    /** Any integer type up to 64 bits, widened; UINT64 as its two's-complement bits. */
    public long[] longs() {
        return TensorValues.longs(this);
    }

    /** INT32, INT16, INT8 (sign-extended), UINT16 and UINT8 (zero-extended). */
    public int[] ints() {
        return TensorValues.ints(this);
    }

    /** INT8 or UINT8 values as their 8 bits. */
    public byte[] bytes() {
        return TensorValues.bytes(this);
    }

    /** BOOL values. */
    public boolean[] booleans() {
        return TensorValues.booleans(this);
    }

    /** STRING values, decoded from UTF-8. */
    public String[] strings() {
        return TensorValues.strings(this);
    }
}
