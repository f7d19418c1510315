package dev.kiln.ir.eval;

import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;

/**
 * Date and timestamp functions. Results must be representable physically (DATE: days since the
 * epoch in an int; TIMESTAMP: microseconds since the epoch in a long), else an overflow error.
 */
public final class DateFunctions {
    private DateFunctions() {}

    /** date + n days (also on a timestamp, keeping its time of day). */
    public static Temporal addDays(Temporal t, long days) {
        String what = Text.format(t) + " + " + days + " days";
        return checked(t, what, () -> t instanceof LocalDateTime ts ? ts.plusDays(days) : ((LocalDate) t).plusDays(days));
    }

    /** Adds calendar months; a day past the end of the target month clamps to its last day (Jan 31 + 1 month = Feb 28/29). */
    public static Temporal addMonths(Temporal t, long months) {
        String what = Text.format(t) + " + " + months + " months";
        return checked(t, what, () -> t instanceof LocalDateTime ts ? ts.plusMonths(months) : ((LocalDate) t).plusMonths(months));
    }

    public static LocalDateTime addMicros(LocalDateTime t, long micros) {
        return (LocalDateTime) checked(t, Text.format(t) + " + " + micros + " microseconds", () -> t.plus(micros, ChronoUnit.MICROS));
    }

    /** The start of the {@code width}-microsecond interval counted from the epoch that holds t. */
    public static LocalDateTime timeBucket(LocalDateTime t, long width) {
        if (width <= 0) throw new dev.kiln.ir.KilnException("time_bucket width must be positive, not " + width + " microseconds");
        long micros = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t);
        return LocalDateTime.of(1970, 1, 1, 0, 0).plus(micros - Math.floorMod(micros, width), ChronoUnit.MICROS);
    }

    /** a - b in days. */
    public static long dateDiffDays(LocalDate a, LocalDate b) {
        return a.toEpochDay() - b.toEpochDay();
    }

    /** EXTRACT_* on a DATE or TIMESTAMP (time fields of a DATE are 0). DOW: Sunday = 0 … Saturday = 6. */
    public static long extract(Op field, Temporal t) {
        LocalDate d = t instanceof LocalDateTime ts ? ts.toLocalDate() : (LocalDate) t;
        LocalDateTime ts = t instanceof LocalDateTime x ? x : d.atStartOfDay();
        return switch (field) {
            case EXTRACT_YEAR -> d.getYear();
            case EXTRACT_QUARTER -> (d.getMonthValue() - 1) / 3 + 1;
            case EXTRACT_MONTH -> d.getMonthValue();
            case EXTRACT_DAY -> d.getDayOfMonth();
            case EXTRACT_DOW -> d.getDayOfWeek().getValue() % 7; // ISO Monday=1 … Sunday=7
            case EXTRACT_DOY -> d.getDayOfYear();
            case EXTRACT_HOUR -> ts.getHour();
            case EXTRACT_MINUTE -> ts.getMinute();
            case EXTRACT_SECOND -> ts.getSecond();
            default -> throw new IllegalArgumentException(field + " is not an EXTRACT operator");
        };
    }

    private static Temporal checked(Temporal in, String what, java.util.function.Supplier<Temporal> f) {
        DataType type = in instanceof LocalDateTime ? DataType.TIMESTAMP : DataType.DATE;
        Temporal r;
        try {
            r = f.get();
        } catch (DateTimeException | ArithmeticException e) {
            throw EvalErrors.overflow(type, what);
        }
        if (!representable(r)) throw EvalErrors.overflow(type, what);
        return r;
    }

    /** Whether the value fits its physical form: int days for DATE, long microseconds for TIMESTAMP. */
    public static boolean representable(Temporal t) {
        if (t instanceof LocalDate d) return d.toEpochDay() == (int) d.toEpochDay();
        LocalDateTime ts = (LocalDateTime) t;
        try {
            Math.addExact(Math.multiplyExact(ts.toEpochSecond(ZoneOffset.UTC), 1_000_000L), ts.getNano() / 1000);
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }
}
