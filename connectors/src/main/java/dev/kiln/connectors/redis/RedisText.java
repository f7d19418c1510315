package dev.kiln.connectors.redis;

import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.vector.ColumnVector;
import java.time.LocalDate;

/** A value as the text Redis keeps (see {@link RedisLayout}); null for NULL. */
final class RedisText {
    private RedisText() {}

    static String of(ColumnVector v, int row) {
        if (v.isNull(row)) return null;
        return switch (v.type()) {
            case DataType.BooleanType b -> v.getBoolean(row) ? "true" : "false";
            case DataType.IntType i -> Long.toString(switch (i.physical()) {
                case I8 -> v.getByte(row);
                case I16 -> v.getShort(row);
                case I32 -> v.getInt(row);
                default -> v.getLong(row);
            });
            case DataType.DecimalType d -> java.math.BigDecimal.valueOf(v.getLong(row), d.scale()).toPlainString();
            case DataType.DoubleType d -> Double.toString(v.getDouble(row));
            case DataType.DateType d -> LocalDate.ofEpochDay(v.getInt(row)).toString();
            case DataType.TimestampType t -> epochMillis(v.getLong(row));
            case DataType.VarcharType s -> v.getString(row);
            default -> throw new IllegalArgumentException("cannot write a " + v.type().sql() + " value to Redis");
        };
    }

    /** Milliseconds since the epoch, with the sub-millisecond digits after a point only when there are any. */
    static String epochMillis(long micros) {
        long ms = Math.floorDiv(micros, 1000L);
        int rest = (int) Math.floorMod(micros, 1000L);
        return rest == 0 ? Long.toString(ms) : ms + "." + String.format("%03d", rest);
    }
}
