package dev.kiln.ir.type;

import java.util.List;

/**
 * A SQL or tensor value type. Nullability is not part of the type: it lives on {@link Field}
 * and on expressions, so that the same type can be shared by nullable and non-null columns.
 *
 * <p>Physical representation (how a value sits in a column and in generated code) is given by
 * {@link #physical()}: DECIMAL(p,s) with p &le; 18 is an unscaled {@code long}; DATE is an
 * {@code int} of days since 1970-01-01; TIMESTAMP a {@code long} of microseconds since the epoch.
 */
public sealed interface DataType {
    BooleanType BOOLEAN = new BooleanType();
    IntType TINYINT = new IntType(8);
    IntType SMALLINT = new IntType(16);
    IntType INTEGER = new IntType(32);
    IntType BIGINT = new IntType(64);
    DoubleType DOUBLE = new DoubleType();
    DateType DATE = new DateType();
    TimestampType TIMESTAMP = new TimestampType();
    VarcharType VARCHAR = new VarcharType();

    static DecimalType decimal(int precision, int scale) {
        return new DecimalType(precision, scale);
    }

    PhysicalKind physical();

    /** SQL spelling, used in messages and plans. */
    String sql();

    default boolean isNumeric() {
        return this instanceof IntType || this instanceof DecimalType || this instanceof DoubleType;
    }

    record BooleanType() implements DataType {
        public PhysicalKind physical() { return PhysicalKind.BOOL; }
        public String sql() { return "BOOLEAN"; }
    }

    /** Signed two's-complement integer of 8, 16, 32 or 64 bits. */
    record IntType(int bits) implements DataType {
        public IntType {
            if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
                throw new IllegalArgumentException("integer width must be 8, 16, 32 or 64 bits, not " + bits);
            }
        }
        public PhysicalKind physical() {
            return switch (bits) {
                case 8 -> PhysicalKind.I8;
                case 16 -> PhysicalKind.I16;
                case 32 -> PhysicalKind.I32;
                default -> PhysicalKind.I64;
            };
        }
        public String sql() {
            return switch (bits) {
                case 8 -> "TINYINT";
                case 16 -> "SMALLINT";
                case 32 -> "INTEGER";
                default -> "BIGINT";
            };
        }
        public long minValue() { return bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1)); }
        public long maxValue() { return bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1; }
    }

    /**
     * Exact decimal. Values are stored unscaled in a {@code long}, so precision is at most
     * {@link #MAX_PRECISION}; arithmetic that would exceed it raises an overflow error rather than
     * losing digits.
     */
    record DecimalType(int precision, int scale) implements DataType {
        public static final int MAX_PRECISION = 18;

        public DecimalType {
            if (precision < 1 || precision > MAX_PRECISION) {
                throw new IllegalArgumentException("DECIMAL precision must be between 1 and " + MAX_PRECISION + ", not " + precision);
            }
            if (scale < 0 || scale > precision) {
                throw new IllegalArgumentException("DECIMAL scale must be between 0 and the precision " + precision + ", not " + scale);
            }
        }
        public PhysicalKind physical() { return PhysicalKind.I64; }
        public String sql() { return "DECIMAL(" + precision + "," + scale + ")"; }
    }

    record DoubleType() implements DataType {
        public PhysicalKind physical() { return PhysicalKind.F64; }
        public String sql() { return "DOUBLE"; }
    }

    /** Days since 1970-01-01 in an int. */
    record DateType() implements DataType {
        public PhysicalKind physical() { return PhysicalKind.I32; }
        public String sql() { return "DATE"; }
    }

    /** Microseconds since 1970-01-01T00:00 (no time zone) in a long. */
    record TimestampType() implements DataType {
        public PhysicalKind physical() { return PhysicalKind.I64; }
        public String sql() { return "TIMESTAMP"; }
    }

    /** UTF-8 text of any length; CHAR(n) columns are read as VARCHAR. */
    record VarcharType() implements DataType {
        public PhysicalKind physical() { return PhysicalKind.VARCHAR; }
        public String sql() { return "VARCHAR"; }
    }

    /**
     * A nested row (Spark's struct, SQL's ROW): a table's column of named fields, such as an
     * image's origin, size and pixels. Plans see it flattened ({@link Schema#flatten}): one
     * column per field, so generated code never handles a struct; a query's result puts a
     * selected struct together again. A struct is NULL when all its fields are.
     */
    record StructType(List<Field> fields) implements DataType {
        public StructType { fields = List.copyOf(fields); }
        public PhysicalKind physical() { return PhysicalKind.STRUCT; }
        public String sql() {
            StringBuilder sb = new StringBuilder("STRUCT(");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(fields.get(i).name()).append(' ').append(fields.get(i).type().sql());
            }
            return sb.append(')').toString();
        }
    }

    /**
     * A column whose every value is a dense row-major tensor of one {@link dev.kiln.ir.tensor.TensorType}
     * (element type and shape, symbolic dims allowed): how a model's input or output sits in a row.
     * Wrapping the tensor IR's type keeps one notion of tensor type across the relational and tensor
     * sides. Columns of it are not executed yet.
     */
    record TensorType(dev.kiln.ir.tensor.TensorType tensor) implements DataType {
        public PhysicalKind physical() { return PhysicalKind.TENSOR; }
        public String sql() { return "TENSOR<" + tensor + ">"; }
    }
}
