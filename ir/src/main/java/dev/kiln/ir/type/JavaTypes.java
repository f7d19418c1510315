package dev.kiln.ir.type;

import java.util.Optional;

/**
 * How SQL types meet Java types, by the Java type's name so that the annotation processor (which
 * sees type names at compile time) and the engine (which sees classes at run time) apply the same
 * rules: the SQL type of a record component of a table, and whether a result column fits a
 * record component or method result.
 */
public final class JavaTypes {
    private JavaTypes() {}

    /** Scale of a DECIMAL column declared by a BigDecimal component with no scale given. */
    public static final int DEFAULT_DECIMAL_SCALE = 2;

    /** The SQL type of a table column held in a Java value of {@code javaType} (qualified name or primitive). */
    public static Optional<DataType> sqlType(String javaType, int decimalScale) {
        return Optional.ofNullable(switch (javaType) {
            case "boolean", "java.lang.Boolean" -> DataType.BOOLEAN;
            case "byte", "java.lang.Byte" -> DataType.TINYINT;
            case "short", "java.lang.Short" -> DataType.SMALLINT;
            case "int", "java.lang.Integer" -> DataType.INTEGER;
            case "long", "java.lang.Long" -> DataType.BIGINT;
            case "double", "java.lang.Double", "float", "java.lang.Float" -> DataType.DOUBLE;
            case "java.math.BigDecimal" -> DataType.decimal(DataType.DecimalType.MAX_PRECISION, decimalScale);
            case "java.lang.String" -> DataType.VARCHAR;
            case "java.time.LocalDate" -> DataType.DATE;
            case "java.time.LocalDateTime" -> DataType.TIMESTAMP;
            default -> null;
        });
    }

    public static boolean isPrimitive(String javaType) {
        return switch (javaType) {
            case "boolean", "byte", "short", "int", "long", "float", "double", "char" -> true;
            default -> false;
        };
    }

    /**
     * Why a column of {@code type} (nullable or not) cannot be read into a Java {@code javaType};
     * empty if it can. Integers widen (INTEGER into long), nothing narrows, a nullable column
     * needs a boxed type, and {@code java.lang.Object} takes anything.
     */
    public static Optional<String> misfit(DataType type, boolean nullable, String javaType) {
        if (javaType.equals("java.lang.Object")) return Optional.empty();
        boolean fits = switch (type) {
            case DataType.BooleanType b -> javaType.equals("boolean") || javaType.equals("java.lang.Boolean");
            case DataType.IntType i -> switch (javaType) {
                case "long", "java.lang.Long" -> true;
                case "int", "java.lang.Integer" -> i.bits() <= 32;
                case "short", "java.lang.Short" -> i.bits() <= 16;
                case "byte", "java.lang.Byte" -> i.bits() <= 8;
                case "java.math.BigDecimal", "double", "java.lang.Double" -> true;
                default -> false;
            };
            case DataType.DecimalType d -> javaType.equals("java.math.BigDecimal");
            case DataType.DoubleType d -> javaType.equals("double") || javaType.equals("java.lang.Double");
            case DataType.DateType d -> javaType.equals("java.time.LocalDate");
            case DataType.TimestampType t -> javaType.equals("java.time.LocalDateTime");
            case DataType.VarcharType v -> javaType.equals("java.lang.String");
            case DataType.StructType s -> false;
            case DataType.TensorType t -> false;
        };
        if (!fits) return Optional.of(type.sql() + " does not fit " + simple(javaType) + "; use " + suggestion(type, nullable));
        if (nullable && isPrimitive(javaType)) return Optional.of("the column may be NULL, which " + javaType + " cannot hold; use " + suggestion(type, true));
        return Optional.empty();
    }

    /** The Java type a column of {@code type} reads into best. */
    public static String suggestion(DataType type, boolean nullable) {
        return switch (type) {
            case DataType.BooleanType b -> nullable ? "Boolean" : "boolean";
            case DataType.IntType i -> i.bits() <= 32 ? (nullable ? "Integer" : "int") + " or " + (nullable ? "Long" : "long") : nullable ? "Long" : "long";
            case DataType.DecimalType d -> "BigDecimal";
            case DataType.DoubleType d -> nullable ? "Double" : "double";
            case DataType.DateType d -> "LocalDate";
            case DataType.TimestampType t -> "LocalDateTime";
            case DataType.VarcharType v -> "String";
            case DataType.StructType s -> "Object";
            case DataType.TensorType t -> "Object";
        };
    }

    private static String simple(String javaType) {
        int dot = javaType.lastIndexOf('.');
        return dot < 0 ? javaType : javaType.substring(dot + 1);
    }

    /**
     * A value as Kiln returns it (Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime,
     * String) converted to {@code target}, after {@link #misfit} said it fits. Integers are
     * range-checked when narrowed.
     */
    public static Object convert(Object value, Class<?> target) {
        if (value == null) return null;
        if (target.isInstance(value)) return value;
        if (value instanceof Long l) {
            if (target == long.class) return l;
            if (target == int.class || target == Integer.class) return Math.toIntExact(l);
            if (target == short.class || target == Short.class) return (short) Math.toIntExact(l);
            if (target == byte.class || target == Byte.class) return (byte) Math.toIntExact(l);
            if (target == double.class || target == Double.class) return l.doubleValue();
            if (target == java.math.BigDecimal.class) return java.math.BigDecimal.valueOf(l);
        }
        if (value instanceof Double d && target == double.class) return d;
        if (value instanceof Boolean b && target == boolean.class) return b;
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " cannot be read as " + target.getSimpleName());
    }

    /**
     * The result column a record component reads: the one of its name ignoring case, else the only
     * one equal to it ignoring underscores too ({@code shipDate} reads {@code ship_date}); -1 if none.
     */
    public static int columnFor(java.util.List<String> columns, String component) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).equalsIgnoreCase(component)) return i;
        String want = component.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).replace("_", "").toLowerCase(java.util.Locale.ROOT).equals(want)) {
                if (found >= 0) return -1;
                found = i;
            }
        }
        return found;
    }
}
