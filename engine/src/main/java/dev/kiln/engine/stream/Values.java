package dev.kiln.engine.stream;

import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.util.Collection;

/** Arithmetic on boxed SQL values for the state of streaming aggregates. */
final class Values {
    private Values() {}

    /** a + b in {@code type}'s SUM representation; NULL counts as nothing. */
    static Object add(Object a, Object b, DataType type) {
        if (b == null) return a;
        if (a == null) return b;
        return switch (type) {
            case DataType.IntType i -> Math.addExact((Long) a, (Long) b);
            case DataType.DecimalType d -> checkDecimal(((BigDecimal) a).add((BigDecimal) b), d);
            case DataType.DoubleType d -> (Double) a + (Double) b;
            default -> throw new IllegalArgumentException("cannot add " + type.sql() + " values");
        };
    }

    private static BigDecimal checkDecimal(BigDecimal v, DataType.DecimalType d) {
        if (v.precision() - v.scale() > d.precision() - d.scale()) {
            throw new dev.kiln.ir.KilnException("numeric overflow: a running SUM does not fit " + d.sql() + "; cast the argument to DOUBLE");
        }
        return v;
    }

    /** The exact sum of numbers of one kind. */
    static Object sum(Collection<Object> values) {
        Object first = values.iterator().next();
        if (first instanceof Double) {
            double s = 0;
            for (Object v : values) s += (Double) v;
            return s;
        }
        BigDecimal s = BigDecimal.ZERO;
        for (Object v : values) s = s.add(v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v);
        return first instanceof Long ? (Object) s.longValueExact() : s;
    }

    static double toDouble(Object v) {
        return switch (v) {
            case Long l -> BigDecimal.valueOf(l).doubleValue();
            case BigDecimal d -> d.doubleValue();
            case Double d -> d;
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    /** A sum in the aggregate's result type. */
    static Object convert(Object v, DataType type) {
        if (v == null) return null;
        return switch (type) {
            case DataType.IntType i -> v instanceof BigDecimal d ? d.longValueExact() : v;
            case DataType.DecimalType d -> (v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v).setScale(d.scale());
            case DataType.DoubleType d -> toDouble(v);
            default -> v;
        };
    }
}
