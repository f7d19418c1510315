package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.FooterModel.Statistics;
import dev.kiln.connectors.parquet.ParquetColumn.Conversion;
import dev.kiln.ir.type.DataType;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A column chunk's statistics as Kiln values: min and max boxed like IR literals (Long,
 * BigDecimal, Double, LocalDate, LocalDateTime, Boolean), except strings, kept as their UTF-8
 * bytes because Kiln orders strings by unsigned bytes, as Parquet does. Absent when the writer
 * wrote none or Kiln cannot trust them (INT96 and unsigned columns, legacy string statistics,
 * NaN bounds).
 */
public record ColumnStatistics(Optional<Object> min, Optional<Object> max, Optional<Long> nullCount) {
    static final ColumnStatistics NONE = new ColumnStatistics(Optional.empty(), Optional.empty(), Optional.empty());

    static ColumnStatistics of(Statistics s, ParquetColumn c) {
        boolean trusted = switch (c.conversion()) {
            case INT96, UINT32 -> false;
            // the deprecated min/max of byte arrays were compared as signed bytes: wrong for text
            case STRING, BINARY_DECIMAL -> !s.legacy();
            default -> true;
        };
        if (!trusted) return new ColumnStatistics(Optional.empty(), Optional.empty(), s.nullCount());
        Optional<Object> min = s.min().flatMap(b -> value(b, c));
        Optional<Object> max = s.max().flatMap(b -> value(b, c));
        if (min.isEmpty() || max.isEmpty()) return new ColumnStatistics(Optional.empty(), Optional.empty(), s.nullCount());
        return new ColumnStatistics(min, max, s.nullCount());
    }

    private static Optional<Object> value(byte[] bytes, ParquetColumn c) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        DataType type = c.field().type();
        try {
            if (c.conversion() == Conversion.STRING) return Optional.of(bytes);
            if (c.conversion() == Conversion.BINARY_DECIMAL) {
                return Optional.of(BigDecimal.valueOf(PlainDecoder.bigEndian(seg, 0, bytes.length), ((DataType.DecimalType) type).scale()));
            }
            if (c.conversion().floating()) {
                double d = new PlainDecoder(seg, 0, c.conversion(), 0).nextDouble();
                return Double.isNaN(d) ? Optional.empty() : Optional.of(d);
            }
            long v = new PlainDecoder(seg, 0, c.conversion(), c.typeLength()).nextLong();
            return Optional.of(switch (type) {
                case DataType.BooleanType b -> v != 0;
                case DataType.DecimalType d -> BigDecimal.valueOf(v, d.scale());
                case DataType.DateType d -> LocalDate.ofEpochDay(v);
                case DataType.TimestampType t -> LocalDateTime.ofEpochSecond(Math.floorDiv(v, 1_000_000L), (int) Math.floorMod(v, 1_000_000L) * 1000, ZoneOffset.UTC);
                default -> v;
            });
        } catch (IndexOutOfBoundsException | ArithmeticException | ParquetFormatException | java.time.DateTimeException e) {
            return Optional.empty(); // statistics too short or out of range: unusable, never fatal
        }
    }
}
