package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * A non-null constant. The Java class of {@code value} follows the type: BOOLEAN → Boolean,
 * integers → Long, DECIMAL → BigDecimal with exactly the type's scale, DOUBLE → Double,
 * DATE → LocalDate, TIMESTAMP → LocalDateTime, VARCHAR → String. NULL is {@link NullLiteral}.
 */
public record Literal(Object value, DataType type) implements Expr {
    public Literal {
        Objects.requireNonNull(value, "value (use NullLiteral for NULL)");
        Objects.requireNonNull(type, "type");
        Class<?> expected = switch (type) {
            case DataType.BooleanType b -> Boolean.class;
            case DataType.IntType i -> Long.class;
            case DataType.DecimalType d -> BigDecimal.class;
            case DataType.DoubleType d -> Double.class;
            case DataType.DateType d -> LocalDate.class;
            case DataType.TimestampType t -> LocalDateTime.class;
            case DataType.VarcharType v -> String.class;
            case DataType.StructType s -> throw new IllegalArgumentException("no STRUCT literals yet");
            case DataType.TensorType t -> throw new IllegalArgumentException("no TENSOR literals yet");
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("literal of type " + type.sql() + " needs a " + expected.getSimpleName()
                    + ", got " + value.getClass().getSimpleName() + " " + value);
        }
        if (type instanceof DataType.DecimalType d && ((BigDecimal) value).scale() != d.scale()) {
            throw new IllegalArgumentException("DECIMAL literal " + value + " must have scale " + d.scale());
        }
    }

    public static Literal of(boolean v) { return new Literal(v, DataType.BOOLEAN); }
    public static Literal of(long v) { return new Literal(v, DataType.BIGINT); }
    public static Literal ofInt(int v) { return new Literal((long) v, DataType.INTEGER); }
    public static Literal of(double v) { return new Literal(v, DataType.DOUBLE); }
    public static Literal of(String v) { return new Literal(v, DataType.VARCHAR); }
    public static Literal of(LocalDate v) { return new Literal(v, DataType.DATE); }

    public static Literal of(BigDecimal v) {
        int scale = Math.max(v.scale(), 0);
        BigDecimal scaled = v.setScale(scale);
        int precision = Math.max(scaled.precision(), scale + 1);
        return new Literal(scaled, DataType.decimal(Math.max(precision, 1), scale));
    }

    @Override
    public boolean nullable() {
        return false;
    }
}
