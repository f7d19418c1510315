package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;

/** Exact reference arithmetic: overflow and division by zero are errors (see ir/expr/package-info). */
final class Arithmetic {
    private Arithmetic() {}

    static Object binary(Op op, DataType type, Object a, Object b) {
        String what = "in " + a + " " + op.symbol() + " " + b;
        return switch (type) {
            case DataType.IntType t -> {
                long x = (Long) a;
                long y = (Long) b;
                long r;
                try {
                    r = switch (op) {
                        case PLUS -> Math.addExact(x, y);
                        case MINUS -> Math.subtractExact(x, y);
                        case TIMES -> Math.multiplyExact(x, y);
                        case DIVIDE -> {
                            if (y == 0) throw new KilnException("division by zero");
                            if (x == Long.MIN_VALUE && y == -1) throw Values.overflow(t, what);
                            yield x / y;
                        }
                        default -> {
                            if (y == 0) throw new KilnException("division by zero");
                            yield y == -1 ? 0 : x % y;
                        }
                    };
                } catch (ArithmeticException e) {
                    throw Values.overflow(t, what);
                }
                yield Values.checkInt(r, t, what);
            }
            case DataType.DecimalType t -> {
                BigDecimal x = (BigDecimal) a;
                BigDecimal y = (BigDecimal) b;
                BigDecimal r = switch (op) {
                    case PLUS -> x.add(y);
                    case MINUS -> x.subtract(y);
                    case TIMES -> x.multiply(y);
                    case MOD -> {
                        if (y.signum() == 0) throw new KilnException("division by zero");
                        yield x.remainder(y);
                    }
                    default -> throw new KilnException("DECIMAL " + op.symbol() + " is computed in DOUBLE");
                };
                yield Values.checkDecimal(r, t, what);
            }
            case DataType.DoubleType t -> {
                double x = (Double) a;
                double y = (Double) b;
                yield switch (op) {
                    case PLUS -> x + y;
                    case MINUS -> x - y;
                    case TIMES -> x * y;
                    case DIVIDE -> {
                        if (y == 0.0) throw new KilnException("division by zero");
                        yield x / y;
                    }
                    default -> {
                        if (y == 0.0) throw new KilnException("division by zero");
                        yield x % y;
                    }
                };
            }
            default -> throw new KilnException("arithmetic on " + type.sql());
        };
    }

    static Object negate(DataType type, Object a) {
        return switch (a) {
            case Long l -> {
                if (l == Long.MIN_VALUE) throw Values.overflow(type, "in -(" + l + ")");
                yield Values.checkInt(-l, (DataType.IntType) type, "in -(" + l + ")");
            }
            case BigDecimal d -> d.negate();
            case Double d -> -d;
            default -> throw new KilnException("cannot negate " + a);
        };
    }
}
