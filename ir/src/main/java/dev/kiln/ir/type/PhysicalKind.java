package dev.kiln.ir.type;

/** How a value is laid out in a column vector and held in generated code. */
public enum PhysicalKind {
    /** one byte per value, 0 or 1 */
    BOOL(1),
    I8(1),
    I16(2),
    I32(4),
    I64(8),
    F64(8),
    /** int offsets (n+1) into a byte heap of UTF-8 */
    VARCHAR(-1),
    STRUCT(-1),
    TENSOR(-1);

    private final int width;

    PhysicalKind(int width) {
        this.width = width;
    }

    /** Bytes per value for fixed-width kinds, -1 otherwise. */
    public int width() {
        return width;
    }

    public boolean fixedWidth() {
        return width > 0;
    }
}
