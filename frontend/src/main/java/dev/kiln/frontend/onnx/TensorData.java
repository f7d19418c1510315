package dev.kiln.frontend.onnx;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The values of an {@link OnnxTensor} as they were stored: {@code raw_data} (fixed-width,
 * little-endian bytes) or one of TensorProto's typed fields. Which field holds which element type
 * is fixed by onnx.proto (e.g. FLOAT16 bits in {@code int32_data}); {@link OnnxTensor}'s accessors
 * turn any of them into a Java array. The arrays are the reader's own: do not change them.
 */
public sealed interface TensorData {
    /** Number of values stored (2 per element for complex types, packed for sub-byte types). */
    long storedCount();

    /** {@code raw_data}: a read-only view of the file's bytes. */
    record Raw(MemorySegment bytes) implements TensorData {
        @Override
        public long storedCount() {
            return bytes.byteSize();
        }
    }

    /** {@code float_data}: FLOAT, COMPLEX64. */
    record Floats(float[] values) implements TensorData {
        @Override
        public long storedCount() {
            return values.length;
        }
    }

    /** {@code int32_data}: every integer type of up to 32 bits, BOOL, and the bits of 16/8/4-bit floats. */
    record Int32s(int[] values) implements TensorData {
        @Override
        public long storedCount() {
            return values.length;
        }
    }

    /** {@code int64_data}: INT64. */
    record Int64s(long[] values) implements TensorData {
        @Override
        public long storedCount() {
            return values.length;
        }
    }

    /** {@code double_data}: DOUBLE, COMPLEX128. */
    record Doubles(double[] values) implements TensorData {
        @Override
        public long storedCount() {
            return values.length;
        }
    }

    /** {@code uint64_data}: UINT32, UINT64 (the unsigned value's bits). */
    record UInt64s(long[] values) implements TensorData {
        @Override
        public long storedCount() {
            return values.length;
        }
    }

    /** {@code string_data}: STRING, each element's UTF-8 bytes. */
    record Strings(List<byte[]> values) implements TensorData {
        public Strings {
            values = List.copyOf(values);
        }

        @Override
        public long storedCount() {
            return values.size();
        }
    }
}
