package dev.kiln.codegen.pipeline;

import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Converts IR literal values into the physical form generated code holds them in. */
final class Literals {
    private Literals() {}

    static Object physical(Literal l) {
        return switch (l.type()) {
            case DataType.BooleanType b -> l.value();
            case DataType.IntType i -> i.bits() == 64 ? l.value() : (Object) Math.toIntExact((Long) l.value());
            case DataType.DecimalType d -> ((BigDecimal) l.value()).unscaledValue().longValueExact();
            case DataType.DoubleType d -> l.value();
            case DataType.DateType d -> (int) ((LocalDate) l.value()).toEpochDay();
            case DataType.TimestampType t -> micros((LocalDateTime) l.value());
            case DataType.VarcharType v -> ((String) l.value()).getBytes(StandardCharsets.UTF_8);
            case DataType.StructType s -> throw ExprCompiler.unsupported("STRUCT literal");
            case DataType.TensorType t -> throw ExprCompiler.unsupported("TENSOR literal");
        };
    }

    static long micros(LocalDateTime t) {
        long seconds = t.toEpochSecond(ZoneOffset.UTC);
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1000);
    }

    static LocalDateTime fromMicros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    static long daysBetween(LocalDate a, LocalDate b) {
        return ChronoUnit.DAYS.between(a, b);
    }
}
