package dev.kiln.runtime.stream;

import dev.kiln.ir.type.DataType;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Encodes rows of boxed values (as {@link dev.kiln.runtime.vector.ColumnVector#getObject} gives
 * them) into compact bytes and back, for state store keys and values. Equal rows encode to equal
 * bytes, so encoded keys can be compared and hashed as bytes. Each value is a tag byte (0 = NULL,
 * 1 = present) followed by its fixed-width or length-prefixed form.
 */
public final class RowCodec {
    private final List<DataType> types;

    public RowCodec(List<DataType> types) {
        this.types = List.copyOf(types);
    }

    public List<DataType> types() {
        return types;
    }

    public byte[] encode(Object[] row) {
        return encode(row, 0, row.length);
    }

    /** Encodes {@code row[from .. from + types.size())}. */
    public byte[] encode(Object[] row, int from, int count) {
        if (count != types.size()) throw new IllegalArgumentException("row has " + count + " values, codec has " + types.size() + " types");
        Out out = new Out();
        for (int i = 0; i < count; i++) write(out, types.get(i), row[from + i]);
        return out.toByteArray();
    }

    public Object[] decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Object[] row = new Object[types.size()];
        for (int i = 0; i < row.length; i++) row[i] = read(in, types.get(i));
        if (in.hasRemaining()) throw new IllegalStateException("state entry has " + in.remaining() + " bytes after its " + row.length + " values: corrupt or of another query");
        return row;
    }

    /** Writes one value of {@code type} (boxed as getObject gives it). */
    public static void write(Out out, DataType type, Object v) {
        if (v == null) {
            out.write(0);
            return;
        }
        out.write(1);
        switch (type) {
            case DataType.BooleanType b -> out.write((Boolean) v ? 1 : 0);
            case DataType.IntType i -> out.writeLong((Long) v);
            case DataType.DecimalType d -> out.writeLong(((BigDecimal) v).setScale(d.scale()).unscaledValue().longValueExact());
            case DataType.DoubleType d -> out.writeLong(Double.doubleToLongBits((Double) v));
            case DataType.DateType d -> out.writeLong(((LocalDate) v).toEpochDay());
            case DataType.TimestampType t -> out.writeLong(micros((LocalDateTime) v));
            case DataType.VarcharType s -> {
                byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b, 0, b.length);
            }
            default -> throw new IllegalArgumentException("cannot keep " + type.sql() + " values in streaming state");
        }
    }

    public static Object read(ByteBuffer in, DataType type) {
        if (in.get() == 0) return null;
        return switch (type) {
            case DataType.BooleanType b -> in.get() != 0;
            case DataType.IntType i -> in.getLong();
            case DataType.DecimalType d -> BigDecimal.valueOf(in.getLong(), d.scale());
            case DataType.DoubleType d -> Double.longBitsToDouble(in.getLong());
            case DataType.DateType d -> LocalDate.ofEpochDay(in.getLong());
            case DataType.TimestampType t -> fromMicros(in.getLong());
            case DataType.VarcharType s -> {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException("cannot keep " + type.sql() + " values in streaming state");
        };
    }

    public static long micros(LocalDateTime t) {
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000);
    }

    public static LocalDateTime fromMicros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    /** A growable byte buffer with big-endian writes (as ByteBuffer reads them). */
    public static final class Out extends ByteArrayOutputStream {
        public void writeLong(long v) {
            for (int s = 56; s >= 0; s -= 8) write((int) (v >>> s));
        }

        public void writeInt(int v) {
            for (int s = 24; s >= 0; s -= 8) write(v >>> s);
        }
    }
}
