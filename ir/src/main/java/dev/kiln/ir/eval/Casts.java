package dev.kiln.ir.eval;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.DataType.BooleanType;
import dev.kiln.ir.type.DataType.DateType;
import dev.kiln.ir.type.DataType.DecimalType;
import dev.kiln.ir.type.DataType.DoubleType;
import dev.kiln.ir.type.DataType.IntType;
import dev.kiln.ir.type.DataType.TimestampType;
import dev.kiln.ir.type.DataType.VarcharType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * CAST between scalar types. Supported: any type to itself; every scalar to and from VARCHAR;
 * numeric to numeric; BOOLEAN to and from integers; DATE to and from TIMESTAMP.
 *
 * <ul>
 *   <li>To an integer: DECIMAL rounds HALF_UP (half away from zero), DOUBLE rounds half away from
 *       zero on its exact binary value (as DuckDB and PostgreSQL); out of range is an error
 *       "value 300 does not fit TINYINT". BOOLEAN is 1 or 0.</li>
 *   <li>To DECIMAL(p,s): the exact value (a DOUBLE's exact binary value) rounded HALF_UP to s
 *       digits; an error unless it has at most p - s integer digits.</li>
 *   <li>To DOUBLE: the nearest double.</li>
 *   <li>From VARCHAR: the text without surrounding blanks must parse entirely (see {@link Text}).</li>
 *   <li>To VARCHAR: {@link Text#format}.</li>
 *   <li>TIMESTAMP to DATE drops the time of day; DATE to TIMESTAMP is midnight.</li>
 * </ul>
 */
public final class Casts {
    private Casts() {}

    /** Whether the reference semantics define CAST from {@code from} to {@code to}. */
    public static boolean isSupported(DataType from, DataType to) {
        if (from.equals(to)) return true;
        if (!isScalar(from) || !isScalar(to)) return false;
        if (from instanceof VarcharType || to instanceof VarcharType) return true;
        if (from.isNumeric() && to.isNumeric()) return true;
        if (from instanceof BooleanType) return to instanceof IntType;
        if (to instanceof BooleanType) return from instanceof IntType;
        return (from instanceof DateType || from instanceof TimestampType) && (to instanceof DateType || to instanceof TimestampType);
    }

    static boolean isScalar(DataType t) {
        return !(t instanceof DataType.StructType) && !(t instanceof DataType.TensorType);
    }

    /** CAST(v AS to) where v is a value of type {@code from}; NULL stays NULL. */
    public static Object cast(Object v, DataType from, DataType to) {
        if (v == null || from.equals(to)) return v;
        if (!isSupported(from, to)) throw EvalErrors.unsupportedCast(from, to);
        if (v instanceof String s) return Text.parse(s, to);
        return switch (to) {
            case VarcharType x -> Text.format(v);
            case IntType t -> toInteger(v, t);
            case DecimalType t -> toDecimal(v, t);
            case DoubleType t -> switch (v) {
                case Long l -> (double) l;
                case BigDecimal d -> d.doubleValue();
                default -> throw EvalErrors.unsupportedCast(from, to);
            };
            case BooleanType t -> (Long) v != 0;
            case DateType t -> ((LocalDateTime) v).toLocalDate();
            case TimestampType t -> ((LocalDate) v).atStartOfDay();
            default -> throw EvalErrors.unsupportedCast(from, to);
        };
    }

    static long toInteger(Object v, IntType t) {
        return switch (v) {
            case Long l -> integerInRange(BigInteger.valueOf(l), t, l.toString());
            case Boolean b -> b ? 1L : 0L;
            case BigDecimal d -> integerInRange(d.setScale(0, RoundingMode.HALF_UP).unscaledValue(), t, d.toPlainString());
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) throw EvalErrors.doesNotFit(d.toString(), t);
                yield integerInRange(new BigDecimal(d).setScale(0, RoundingMode.HALF_UP).unscaledValue(), t, d.toString());
            }
            default -> throw new IllegalArgumentException("not a numeric value: " + v);
        };
    }

    static long integerInRange(BigInteger v, IntType t, String shown) {
        if (v.bitLength() > 63 || v.longValue() < t.minValue() || v.longValue() > t.maxValue()) {
            throw EvalErrors.doesNotFit(shown, t);
        }
        return v.longValue();
    }

    static BigDecimal toDecimal(Object v, DecimalType t) {
        return switch (v) {
            case Long l -> decimalInRange(BigDecimal.valueOf(l), t, l.toString());
            case BigDecimal d -> decimalInRange(d, t, d.toPlainString());
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) throw EvalErrors.doesNotFit(d.toString(), t);
                yield decimalInRange(new BigDecimal(d), t, d.toString());
            }
            default -> throw new IllegalArgumentException("not a numeric value: " + v);
        };
    }

    /** {@code exact} rounded HALF_UP to the type's scale, if it then has at most p - s integer digits. */
    static BigDecimal decimalInRange(BigDecimal exact, DecimalType t, String shown) {
        BigDecimal r = exact.setScale(t.scale(), RoundingMode.HALF_UP);
        if (r.unscaledValue().abs().compareTo(BigInteger.TEN.pow(t.precision())) >= 0) throw EvalErrors.doesNotFit(shown, t);
        return r;
    }
}
