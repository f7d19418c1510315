package dev.kiln.frontend.onnx;

import java.util.Arrays;

/**
 * A growable list of {@code long}s for repeated protobuf scalars, which may arrive packed, one by
 * one, or as several packed chunks. Fixed-width floats are kept as their raw bits and converted
 * once at the end, so one list type serves every numeric field.
 */
final class LongList {
    /** The most values one list holds (the JDK's practical array limit). */
    static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    private long[] values = new long[8];
    private int size;

    void add(long value) {
        if (size == values.length) grow(size + 1);
        values[size++] = value;
    }

    /** Makes room for {@code more} values; the caller has checked they are present in the input. */
    void reserve(int more) {
        if (size + more > values.length) grow(size + more);
    }

    int size() {
        return size;
    }

    private void grow(int needed) {
        // ProtoReader checks sizes against MAX_SIZE before reserving; this guards the invariant only
        if (needed < 0 || needed > MAX_SIZE) throw new IllegalStateException("repeated field over " + MAX_SIZE + " values");
        values = Arrays.copyOf(values, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * values.length)));
    }

    long[] toLongArray() {
        return Arrays.copyOf(values, size);
    }

    /** The low 32 bits of each value: int32 fields, whose negatives are sign-extended varints. */
    int[] toIntArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = (int) values[i];
        return out;
    }

    /** Each value as the bits of a fixed32 float. */
    float[] toFloatArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = Float.intBitsToFloat((int) values[i]);
        return out;
    }

    /** Each value as the bits of a fixed64 double. */
    double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = Double.longBitsToDouble(values[i]);
        return out;
    }
}
