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
            default -> Object.class.getName();
        };
    }

    static boolean signed(DataType t) {
        return t instanceof DataType.IntType || t instanceof DataType.DecimalType || t instanceof DataType.DoubleType;
    }
}
