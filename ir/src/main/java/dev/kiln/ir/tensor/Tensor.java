package dev.kiln.ir.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major, immutable tensor value: graph constants (initializers) and the values the
 * reference interpreter computes. It is the oracle's representation, chosen for simple loops, not
 * speed; generated code works on off-heap buffers of the native width instead.
 *
 * <p>Storage, one primitive array per family so each kernel has one path per family:
 * <ul>
 *   <li>FLOAT32, FLOAT16, BFLOAT16: {@code float[]}; 16-bit values are rounded (to nearest even)
 *       to a representable value whenever they are stored, so they hold exactly what the narrow type
 *       could hold;</li>
 *   <li>FLOAT64: {@code double[]};</li>
 *   <li>every integer type: {@code long[]} holding the value (UINT64 as its bit pattern), checked
 *       against the type's range when stored;</li>
 *   <li>BOOL: {@code boolean[]}; STRING: {@code String[]}.</li>
 * </ul>
 */
public final class Tensor {
    private final ElementType type;
    private final long[] shape;
    private final Object data;

    private Tensor(ElementType type, long[] shape, Object data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    // ---- construction ------------------------------------------------------------------------

    public static Tensor floats(long[] shape, float... values) { return of(ElementType.FLOAT32, shape, values.clone()); }
    public static Tensor doubles(long[] shape, double... values) { return of(ElementType.FLOAT64, shape, values.clone()); }
    public static Tensor int64(long[] shape, long... values) { return of(ElementType.INT64, shape, values.clone()); }
    public static Tensor longs(ElementType type, long[] shape, long... values) { return of(type, shape, values.clone()); }
    public static Tensor bools(long[] shape, boolean... values) { return of(ElementType.BOOL, shape, values.clone()); }
    public static Tensor strings(long[] shape, String... values) { return of(ElementType.STRING, shape, values.clone()); }
    public static Tensor scalar(float v) { return floats(new long[0], v); }
    public static Tensor scalar(ElementType type, long v) { return longs(type, new long[0], v); }
    /** A 1-D INT64 tensor, the usual form of shape, axes and index constants. */
    public static Tensor vector(long... values) { return int64(new long[] {values.length}, values); }

    /**
     * Wraps a primitive array of the type's storage family (see the class comment), taking
     * ownership of it. Narrow floats are rounded, integers range-checked.
     */
    public static Tensor of(ElementType type, long[] shape, Object data) {
        long[] sh = shape.clone();
        int n = checkedCount(sh);
        int length = switch (data) {
            case float[] a when isFloatStored(type) -> a.length;
            case double[] a when type == ElementType.FLOAT64 -> a.length;
            case long[] a when type.isInteger() -> a.length;
            case boolean[] a when type == ElementType.BOOL -> a.length;
            case String[] a when type == ElementType.STRING -> a.length;
            default -> throw new IllegalArgumentException("a " + type + " tensor is stored in " + storageName(type)
                    + ", not " + data.getClass().getSimpleName());
        };
        if (length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(sh) + " holds " + n + " elements but "
                    + length + " values were given");
        }
        if (data instanceof float[] f && type != ElementType.FLOAT32) {
            for (int i = 0; i < f.length; i++) f[i] = roundFloat(type, f[i]);
        }
        if (data instanceof long[] l) {
            for (int i = 0; i < l.length; i++) {
                if (!type.inRange(l[i])) throw new IllegalArgumentException("value " + l[i] + " at index " + i + " is out of range for " + type);
            }
        }
        if (data instanceof String[] s) {
            for (int i = 0; i < s.length; i++) Objects.requireNonNull(s[i], "string element " + i);
        }
        return new Tensor(type, sh, data);
    }

    /** A tensor whose elements are all zero (false, ""). */
    public static Tensor zeros(ElementType type, long[] shape) {
        return builder(type, shape).build();
    }

    public static Builder builder(ElementType type, long[] shape) {
        long[] sh = shape.clone();
        return new Builder(type, sh, newStorage(type, checkedCount(sh)));
    }

    static boolean isFloatStored(ElementType t) {
        return t == ElementType.FLOAT32 || t == ElementType.FLOAT16 || t == ElementType.BFLOAT16;
    }

    private static String storageName(ElementType t) {
        if (isFloatStored(t)) return "float[]";
        if (t == ElementType.FLOAT64) return "double[]";
        if (t.isInteger()) return "long[]";
        return t == ElementType.BOOL ? "boolean[]" : "String[]";
    }

    private static Object newStorage(ElementType t, int n) {
        if (isFloatStored(t)) return new float[n];
        if (t == ElementType.FLOAT64) return new double[n];
        if (t.isInteger()) return new long[n];
        if (t == ElementType.BOOL) return new boolean[n];
        String[] s = new String[n];
        Arrays.fill(s, "");
        return s;
    }

    private static int checkedCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than a heap tensor can hold");
        }
        return (int) n;
    }

    /** Rounds a float to the nearest value of a 16-bit float type (ties to even). */
    public static float roundFloat(ElementType type, float v) {
        return switch (type) {
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BFLOAT16 -> {
                if (Float.isNaN(v)) yield v;
                int bits = Float.floatToRawIntBits(v);
                bits += 0x7FFF + ((bits >>> 16) & 1);
                yield Float.intBitsToFloat(bits & 0xFFFF_0000);
            }
            default -> v;
        };
    }

    // ---- access ------------------------------------------------------------------------------

    public ElementType type() { return type; }
    public long[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public long dim(int i) { return shape[i]; }
    public int size() { return Array.length(data); }
    public TensorType tensorType() { return new TensorType(type, TensorShape.of(shape)); }

    /** The element as a real number: floats as stored, integers exactly up to 2^53, BOOL as 0/1. */
    public double getDouble(int i) {
        return switch (data) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a -> type == ElementType.UINT64 && a[i] < 0 ? a[i] + 0x1p64 : a[i];
            case boolean[] a -> a[i] ? 1 : 0;
            default -> throw new IllegalStateException("STRING element read as a number");
        };
    }

    /** The element of an integer or BOOL tensor. */
    public long getLong(int i) {
        return switch (data) {
            case long[] a -> a[i];
            case boolean[] a -> a[i] ? 1 : 0;
            default -> throw new IllegalStateException(type + " element read as an integer");
        };
    }

    public boolean getBool(int i) {
        if (data instanceof boolean[] a) return a[i];
        throw new IllegalStateException(type + " element read as a boolean");
    }

    public String getString(int i) {
        if (data instanceof String[] a) return a[i];
        throw new IllegalStateException(type + " element read as a string");
    }

    /** The elements of an integer tensor (a copy); shape constants are read this way. */
    public long[] toLongArray() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    /** The elements as doubles (a copy). */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) out[i] = getDouble(i);
        return out;
    }

    // little-endian, unaligned: the layout of tensor cells and of model files; constants, so that FFM accesses compile to plain loads
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes elements [from, from + n) to {@code dst} at byte {@code offset}, little-endian at the
     * type's width (BOOL one byte, FLOAT16/BFLOAT16 their 16 bits); STRING has no fixed width.
     */
    public void write(int from, int n, MemorySegment dst, long offset) {
        Objects.checkFromIndexSize(from, n, size());
        switch (type) {
            case FLOAT32 -> MemorySegment.copy(data, from, dst, LE_FLOAT, offset, n);
            case FLOAT64 -> MemorySegment.copy(data, from, dst, LE_DOUBLE, offset, n);
            case INT64, UINT64 -> MemorySegment.copy(data, from, dst, LE_LONG, offset, n);
            case FLOAT16 -> {
                float[] a = (float[]) data;
                for (int i = 0; i < n; i++) dst.set(LE_SHORT, offset + 2L * i, Float.floatToFloat16(a[from + i]));
            }
            case BFLOAT16 -> {
                float[] a = (float[]) data;
                for (int i = 0; i < n; i++) dst.set(LE_SHORT, offset + 2L * i, (short) (Float.floatToRawIntBits(a[from + i]) >>> 16));
            }
            case INT32, UINT32 -> {
                long[] a = (long[]) data;
                for (int i = 0; i < n; i++) dst.set(LE_INT, offset + 4L * i, (int) a[from + i]);
            }
            case INT16, UINT16 -> {
                long[] a = (long[]) data;
                for (int i = 0; i < n; i++) dst.set(LE_SHORT, offset + 2L * i, (short) a[from + i]);
            }
            case INT8, UINT8 -> {
                long[] a = (long[]) data;
                for (int i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) a[from + i]);
            }
            case BOOL -> {
                boolean[] a = (boolean[]) data;
                for (int i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (a[from + i] ? 1 : 0));
            }
            case STRING -> throw new IllegalStateException("STRING elements have no fixed width to write");
        }
    }

    /** Elements [from, from + n) as floats into {@code dst} at {@code at} (integers and BOOL converted as {@link #getDouble} would). */
    public void copyFloats(int from, int n, float[] dst, int at) {
        Objects.checkFromIndexSize(from, n, size());
        switch (data) {
            case float[] a -> System.arraycopy(a, from, dst, at, n);
            case double[] a -> {
                for (int i = 0; i < n; i++) dst[at + i] = (float) a[from + i];
            }
            case long[] a when type != ElementType.UINT64 -> {
                for (int i = 0; i < n; i++) dst[at + i] = a[from + i];
            }
            default -> {
                for (int i = 0; i < n; i++) dst[at + i] = (float) getDouble(from + i);
            }
        }
    }

    /** The same elements under another shape of equal element count. */
    public Tensor reshape(long[] newShape) {
        long[] sh = newShape.clone();
        if (checkedCount(sh) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(sh));
        }
        return new Tensor(type, sh, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.type == type && Arrays.equals(t.shape, shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {t.data});
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
    }

    /** Type, shape and up to eight elements, for plans and messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.name().toLowerCase(java.util.Locale.ROOT)).append(Arrays.toString(shape)).append('{');
        int n = Math.min(size(), 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(switch (data) {
                case float[] a -> Float.toString(a[i]);
                case double[] a -> Double.toString(a[i]);
                case long[] a -> type == ElementType.UINT64 ? Long.toUnsignedString(a[i]) : Long.toString(a[i]);
                case boolean[] a -> Boolean.toString(a[i]);
                default -> '"' + ((String[]) data)[i] + '"';
            });
        }
        if (size() > n) sb.append(", …");
        return sb.append('}').toString();
    }

    private static final class Array {
        static int length(Object a) { return java.lang.reflect.Array.getLength(a); }
    }

    /** Fills a fresh tensor element by element; {@link #build()} hands the storage over once. */
    public static final class Builder {
        private final ElementType type;
        private final long[] shape;
        private Object data;

        private Builder(ElementType type, long[] shape, Object data) {
            this.type = type;
            this.shape = shape;
            this.data = data;
        }

        public ElementType type() { return type; }
        public int size() { return Array.length(data); }

        /** Stores a real value into a float tensor, rounded to its type; integer and BOOL tensors take {@link #setLong}. */
        public Builder setDouble(int i, double v) {
            switch (data) {
                case float[] a -> a[i] = roundFloat(type, (float) v);
                case double[] a -> a[i] = v;
                default -> throw new IllegalStateException("real value stored into a " + type + " tensor");
            }
            return this;
        }

        public Builder setLong(int i, long v) {
            switch (data) {
                case long[] a -> {
                    if (!type.inRange(v)) throw new IllegalArgumentException("value " + v + " is out of range for " + type);
                    a[i] = v;
                }
                case boolean[] a -> a[i] = v != 0;
                default -> throw new IllegalStateException("integer stored into a " + type + " tensor");
            }
            return this;
        }

        public Builder setBool(int i, boolean v) {
            if (!(data instanceof boolean[] a)) throw new IllegalStateException("boolean stored into a " + type + " tensor");
            a[i] = v;
            return this;
        }

        public Builder setString(int i, String v) {
            if (!(data instanceof String[] a)) throw new IllegalStateException("string stored into a " + type + " tensor");
            a[i] = Objects.requireNonNull(v);
            return this;
        }

        /** Copies element {@code j} of a tensor of the same type into element {@code i}: data movement ops use this. */
        public Builder copy(int i, Tensor src, int j) {
            if (src.type != type) throw new IllegalArgumentException("copying a " + src.type + " element into a " + type + " tensor");
            System.arraycopy(src.data, j, data, i, 1);
            return this;
        }

        /** Copies elements [from, from + n) of a tensor of the same type into [at, at + n). */
        public Builder copy(int at, Tensor src, int from, int n) {
            if (src.type != type) throw new IllegalArgumentException("copying " + src.type + " elements into a " + type + " tensor");
            System.arraycopy(src.data, from, data, at, n);
            return this;
        }

        /**
         * Reads elements [at, at + n) from {@code src} at byte {@code offset}, laid out as
         * {@link Tensor#write} writes them; integers are checked against the type's range.
         */
        public Builder read(int at, int n, MemorySegment src, long offset) {
            Objects.checkFromIndexSize(at, n, size());
            switch (type) {
                case FLOAT32 -> MemorySegment.copy(src, LE_FLOAT, offset, data, at, n);
                case FLOAT64 -> MemorySegment.copy(src, LE_DOUBLE, offset, data, at, n);
                case INT64, UINT64 -> MemorySegment.copy(src, LE_LONG, offset, data, at, n);
                case FLOAT16 -> {
                    float[] a = (float[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = Float.float16ToFloat(src.get(LE_SHORT, offset + 2L * i));
                }
                case BFLOAT16 -> {
                    float[] a = (float[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = Float.intBitsToFloat((src.get(LE_SHORT, offset + 2L * i) & 0xFFFF) << 16);
                }
                case INT32 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(LE_INT, offset + 4L * i);
                }
                case UINT32 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(LE_INT, offset + 4L * i) & 0xFFFF_FFFFL;
                }
                case INT16 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(LE_SHORT, offset + 2L * i);
                }
                case UINT16 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(LE_SHORT, offset + 2L * i) & 0xFFFF;
                }
                case INT8 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(ValueLayout.JAVA_BYTE, offset + i);
                }
                case UINT8 -> {
                    long[] a = (long[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
                }
                case BOOL -> {
                    boolean[] a = (boolean[]) data;
                    for (int i = 0; i < n; i++) a[at + i] = src.get(ValueLayout.JAVA_BYTE, offset + i) != 0;
                }
                case STRING -> throw new IllegalStateException("STRING elements have no fixed width to read");
            }
            return this;
        }

        public Tensor build() {
            if (data == null) throw new IllegalStateException("builder already built");
            Tensor t = new Tensor(type, shape, data);
            data = null;
            return t;
        }
    }
}
