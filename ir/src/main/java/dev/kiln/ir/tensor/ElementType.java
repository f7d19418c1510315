package dev.kiln.ir.tensor;

/**
 * The element type of a tensor. Names are Kiln's own (an importer maps ONNX data type codes onto
 * them). Integer kinds know their range so that casts can wrap and quantization can saturate.
 */
public enum ElementType {
    FLOAT32(4, Kind.FLOAT, 0, 0),
    FLOAT64(8, Kind.FLOAT, 0, 0),
    FLOAT16(2, Kind.FLOAT, 0, 0),
    BFLOAT16(2, Kind.FLOAT, 0, 0),
    INT8(1, Kind.SIGNED, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT8(1, Kind.UNSIGNED, 0, 255),
    INT16(2, Kind.SIGNED, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16(2, Kind.UNSIGNED, 0, 65535),
    INT32(4, Kind.SIGNED, Integer.MIN_VALUE, Integer.MAX_VALUE),
    UINT32(4, Kind.UNSIGNED, 0, 0xFFFF_FFFFL),
    INT64(8, Kind.SIGNED, Long.MIN_VALUE, Long.MAX_VALUE),
    /** Held in a long as its two's-complement bit pattern; its range does not fit a long. */
    UINT64(8, Kind.UNSIGNED, 0, -1),
    BOOL(1, Kind.BOOL, 0, 1),
    /** Variable-width UTF-16 text; has no fixed byte width. */
    STRING(0, Kind.STRING, 0, 0);

    private enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL, STRING }

    private final int byteWidth;
    private final Kind kind;
    private final long min;
    private final long max;

    ElementType(int byteWidth, Kind kind, long min, long max) {
        this.byteWidth = byteWidth;
        this.kind = kind;
        this.min = min;
        this.max = max;
    }

    /** Bytes per element in a dense buffer; STRING has none. */
    public int byteWidth() {
        if (kind == Kind.STRING) throw new IllegalStateException("STRING tensors have no fixed element width");
        return byteWidth;
    }

    public boolean isFloating() { return kind == Kind.FLOAT; }
    public boolean isInteger() { return kind == Kind.SIGNED || kind == Kind.UNSIGNED; }
    public boolean isSigned() { return kind == Kind.SIGNED; }
    public boolean isUnsigned() { return kind == Kind.UNSIGNED; }
    public boolean isNumeric() { return isFloating() || isInteger(); }

    /** Smallest value of an integer type (UINT64: 0). */
    public long minValue() { requireInteger(); return min; }

    /** Largest value of an integer type; for UINT64 it is 2^64-1 held as -1. */
    public long maxValue() { requireInteger(); return max; }

    /** Two's-complement truncation to this integer width, as a C cast does (ONNX Cast between ints). */
    public long wrap(long v) {
        requireInteger();
        return switch (this) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xFFFF;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    /** Clamps to this integer type's range (quantization); UINT64 clamps below at 0 only. */
    public long saturate(long v) {
        requireInteger();
        if (this == UINT64) return Math.max(0, v);
        return Math.min(max, Math.max(min, v));
    }

    /** Clamps a real value into range and rounds half to even, as QuantizeLinear does. */
    public long saturateRounded(double v) {
        requireInteger();
        double r = Math.rint(v);
        if (Double.isNaN(r)) return 0;
        if (this == UINT64) return r <= 0 ? 0 : r >= 0x1p64 ? -1 : unsignedFromDouble(r);
        if (r <= min) return min;
        if (r >= max) return max;
        return (long) r;
    }

    private static long unsignedFromDouble(double r) {
        return r < 0x1p63 ? (long) r : (long) (r - 0x1p63) + Long.MIN_VALUE;
    }

    /** Whether a long holds a value of this integer type (UINT64: any bit pattern). */
    public boolean inRange(long v) {
        requireInteger();
        return this == UINT64 || (v >= min && v <= max);
    }

    private void requireInteger() {
        if (!isInteger()) throw new IllegalStateException(this + " is not an integer type");
    }
}
