package dev.kiln.ir.stats;

import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalDouble;

/**
 * The order-preserving numeric domain of min/max and histograms: one double per value such that
 * a &lt; b implies key(a) &lt;= key(b). Numbers are their value, dates their epoch day, timestamps
 * their epoch microseconds, strings the first {@value #STRING_PREFIX_BYTES} UTF-8 bytes read as
 * a base-256 fraction (so ranges and LIKE prefixes over text can be estimated; longer strings
 * sharing a prefix share a key). BOOLEAN, STRUCT and TENSOR have no key.
 */
public final class StatsKey {
    private StatsKey() {}

    public static final int STRING_PREFIX_BYTES = 6;

    /** The key of a value boxed as the IR's literals are (Long, BigDecimal, Double, LocalDate, LocalDateTime, String). */
    public static OptionalDouble of(Object value, DataType type) {
        return switch (type) {
            case DataType.IntType i -> OptionalDouble.of(((Long) value).doubleValue());
            case DataType.DecimalType d -> OptionalDouble.of(((BigDecimal) value).doubleValue());
            case DataType.DoubleType d -> OptionalDouble.of((Double) value);
            case DataType.DateType d -> OptionalDouble.of(((LocalDate) value).toEpochDay());
            case DataType.TimestampType t -> OptionalDouble.of(((LocalDateTime) value).toEpochSecond(ZoneOffset.UTC) * 1e6
                    + ((LocalDateTime) value).getNano() / 1000);
            case DataType.VarcharType v -> OptionalDouble.of(ofString(((String) value).getBytes(StandardCharsets.UTF_8)));
            case DataType.BooleanType b -> OptionalDouble.empty();
            case DataType.StructType s -> OptionalDouble.empty();
            case DataType.TensorType t -> OptionalDouble.empty();
        };
    }

    /** Whether values of this type have keys. */
    public static boolean ordered(DataType type) {
        return switch (type) {
            case DataType.IntType i -> true;
            case DataType.DecimalType d -> true;
            case DataType.DoubleType d -> true;
            case DataType.DateType d -> true;
            case DataType.TimestampType t -> true;
            case DataType.VarcharType v -> true;
            case DataType.BooleanType b -> false;
            case DataType.StructType s -> false;
            case DataType.TensorType t -> false;
        };
    }

    /** Key of UTF-8 text: its first bytes as an exact base-256 number (48 bits fit a double). */
    public static double ofString(byte[] utf8) {
        return ofPrefix(utf8, 0, utf8.length);
    }

    public static double ofPrefix(byte[] utf8, int off, int len) {
        long k = 0;
        for (int i = 0; i < STRING_PREFIX_BYTES; i++) k = (k << 8) | (i < len ? utf8[off + i] & 0xff : 0);
        return k;
    }

    /**
     * The smallest key above every string starting with {@code prefix} (for LIKE 'prefix%'):
     * the prefix's key plus one unit at its last significant byte position.
     */
    public static double afterPrefix(byte[] prefix) {
        int n = Math.min(prefix.length, STRING_PREFIX_BYTES);
        return ofString(prefix) + Math.pow(256, STRING_PREFIX_BYTES - n);
    }
}
