package dev.kiln.engine.jdbc;

import dev.kiln.ir.type.DataType;
import java.sql.Types;

/** Kiln's column types as JDBC sees them: java.sql.Types codes, names, sizes and Java classes. */
final class JdbcTypes {
    private JdbcTypes() {}

    static int code(DataType t) {
        return switch (t) {
            case DataType.BooleanType b -> Types.BOOLEAN;
            case DataType.IntType i -> switch (i.bits()) {
                case 8 -> Types.TINYINT;
                case 16 -> Types.SMALLINT;
                case 32 -> Types.INTEGER;
                default -> Types.BIGINT;
            };
            case DataType.DecimalType d -> Types.DECIMAL;
            case DataType.DoubleType d -> Types.DOUBLE;
            case DataType.DateType d -> Types.DATE;
            case DataType.TimestampType ts -> Types.TIMESTAMP;
            case DataType.VarcharType v -> Types.VARCHAR;
            case DataType.StructType st -> Types.STRUCT;
            default -> Types.OTHER;
        };
    }

    static String name(DataType t) {
        return switch (t) {
            case DataType.DecimalType d -> "DECIMAL";
            default -> t.sql();
        };
    }

    /** Precision as JDBC defines it: digits for numbers, characters for text and date-times. */
    static int precision(DataType t) {
        return switch (t) {
            case DataType.BooleanType b -> 1;
            case DataType.IntType i -> switch (i.bits()) {
                case 8 -> 3;
                case 16 -> 5;
                case 32 -> 10;
                default -> 19;
            };
            case DataType.DecimalType d -> d.precision();
            case DataType.DoubleType d -> 15;
            case DataType.DateType d -> 10;
            case DataType.TimestampType ts -> 29;
            case DataType.VarcharType v -> Integer.MAX_VALUE;
            default -> 0;
        };
    }

    static int scale(DataType t) {
        return t instanceof DataType.DecimalType d ? d.scale() : 0;
    }

    static int displaySize(DataType t) {
        return switch (t) {
            case DataType.BooleanType b -> 5;
            case DataType.IntType i -> precision(t) + 1;
            case DataType.DecimalType d -> d.precision() + 2;
            case DataType.DoubleType d -> 24;
            case DataType.VarcharType v -> Integer.MAX_VALUE;
            default -> precision(t);
        };
    }

    /** The class {@code getObject} returns for the type. */
    static String className(DataType t) {
        return switch (t) {
            case DataType.BooleanType b -> Boolean.class.getName();
            case DataType.IntType i -> i.bits() == 64 ? Long.class.getName() : Integer.class.getName();
            case DataType.DecimalType d -> java.math.BigDecimal.class.getName();
            case DataType.DoubleType d -> Double.class.getName();
            case DataType.DateType d -> java.sql.Date.class.getName();
            case DataType.TimestampType ts -> java.sql.Timestamp.class.getName();
            case DataType.VarcharType v -> String.class.getName();
            case DataType.StructType st -> java.sql.Struct.class.getName();
            default -> Object.class.getName();
        };
    }

    /** A value as {@code getObject} returns it for its type: JDBC's classes for dates, int for INTEGER and smaller, a {@link java.sql.Struct} for a STRUCT. */
    static Object jdbcValue(Object v, DataType t) {
        return switch (v) {
            case null -> null;
            case Long l when t instanceof DataType.IntType i && i.bits() < 64 -> (int) (long) l;
            case java.time.LocalDate d -> java.sql.Date.valueOf(d);
            case java.time.LocalDateTime d -> java.sql.Timestamp.valueOf(d);
            case dev.kiln.runtime.vector.StructValue s when t instanceof DataType.StructType st -> new JdbcStruct(st, s);
            default -> v;
        };
    }

    /** A STRUCT value for JDBC: its type's SQL spelling and its fields' values, each as getObject gives a column's. */
    record JdbcStruct(DataType.StructType type, dev.kiln.runtime.vector.StructValue value) implements java.sql.Struct {
        @Override
        public String getSQLTypeName() {
            return type.sql();
        }

        @Override
        public Object[] getAttributes() {
            Object[] out = new Object[type.fields().size()];
            for (int i = 0; i < out.length; i++) out[i] = jdbcValue(value.values().get(i), type.fields().get(i).type());
            return out;
        }

        @Override
        public Object[] getAttributes(java.util.Map<String, Class<?>> map) {
            return getAttributes();
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    static boolean signed(DataType t) {
        return t instanceof DataType.IntType || t instanceof DataType.DecimalType || t instanceof DataType.DoubleType;
    }
}
