package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates constant subexpressions at plan time: casts of literals, date arithmetic on literals
 * ({@code DATE '1998-12-01' - INTERVAL '90' DAY}), exact arithmetic and comparisons of literals,
 * and boolean identities. Anything that would raise an error (overflow, bad text) is left alone,
 * so the error surfaces only if a row actually evaluates it.
 */
final class ConstantFolder {
    private ConstantFolder() {}

    static Expr fold(Expr e) {
        return Exprs.rewrite(e, ConstantFolder::foldNode);
    }

    private static Expr foldNode(Expr e) {
        try {
            return switch (e) {
                case Cast c when c.input() instanceof NullLiteral -> new NullLiteral(c.type());
                case Cast c when c.input() instanceof Literal l -> cast(l, c.type()).map(x -> (Expr) x).orElse(e);
                case Call c -> call(c).orElse(e);
                default -> e;
            };
        } catch (ArithmeticException | IllegalArgumentException | java.time.DateTimeException ex) {
            return e;
        }
    }

    static Optional<Literal> cast(Literal l, DataType to) {
        Object v = l.value();
        return switch (to) {
            case DataType.DecimalType d -> {
                BigDecimal b = v instanceof Long x ? BigDecimal.valueOf(x) : v instanceof BigDecimal x ? x
                        : v instanceof Double x ? BigDecimal.valueOf(x) : null;
                if (b == null) yield Optional.empty();
                BigDecimal s = b.setScale(d.scale(), RoundingMode.HALF_UP);
                yield s.precision() - s.scale() <= d.precision() - d.scale() ? Optional.of(new Literal(s, d)) : Optional.empty();
            }
            case DataType.DoubleType d -> v instanceof Number n ? Optional.of(Literal.of(n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue())) : Optional.empty();
            case DataType.IntType i -> {
                if (!(v instanceof Long x)) yield Optional.empty();
                yield x >= i.minValue() && x <= i.maxValue() ? Optional.of(new Literal(x, i)) : Optional.empty();
            }
            case DataType.DateType d -> v instanceof String s ? Optional.of(Literal.of(LocalDate.parse(s.strip()))) : Optional.empty();
            case DataType.VarcharType s -> v instanceof String ? Optional.of(new Literal(v, to)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<Expr> call(Call c) {
        List<Expr> args = c.args();
        switch (c.op()) {
            case AND, OR -> {
                boolean and = c.op() == Op.AND;
                List<Expr> kept = new ArrayList<>();
                for (Expr a : args) {
                    if (a instanceof Literal l && l.value() instanceof Boolean b) {
                        if (b != and) return Optional.of(Literal.of(!and)); // FALSE in AND, TRUE in OR decides
                        continue;
                    }
                    kept.add(a);
                }
                if (kept.size() == args.size()) return Optional.empty();
                if (kept.isEmpty()) return Optional.of(Literal.of(and));
                if (kept.size() == 1) return Optional.of(kept.getFirst());
                return Optional.of(new Call(c.op(), kept, c.type(), kept.stream().anyMatch(Expr::nullable)));
            }
            case NOT -> {
                if (args.getFirst() instanceof Literal l) return Optional.of(Literal.of(!(Boolean) l.value()));
                if (args.getFirst() instanceof Call n && n.op() == Op.NOT) return Optional.of(n.arg(0));
                return Optional.empty();
            }
            default -> { }
        }
        if (!args.stream().allMatch(a -> a instanceof Literal)) return Optional.empty();
        Object a = ((Literal) args.getFirst()).value();
        Object b = args.size() > 1 ? ((Literal) args.get(1)).value() : null;
        return switch (c.op()) {
            case ADD_DAYS -> Optional.of(Literal.of(((LocalDate) a).plusDays((Long) b)));
            case ADD_MONTHS -> c.type() instanceof DataType.DateType ? Optional.of(Literal.of(((LocalDate) a).plusMonths((Long) b))) : Optional.empty();
            case PLUS, MINUS, TIMES -> arithmetic(c, a, b);
            case EQ, NE, LT, LE, GT, GE -> compare(c.op(), a, b);
            default -> Optional.empty();
        };
    }

    private static Optional<Expr> arithmetic(Call c, Object a, Object b) {
        if (c.type() instanceof DataType.DecimalType d && a instanceof BigDecimal x && b instanceof BigDecimal y) {
            BigDecimal r = switch (c.op()) {
                case PLUS -> x.add(y);
                case MINUS -> x.subtract(y);
                default -> x.multiply(y);
            };
            BigDecimal s = r.setScale(d.scale(), RoundingMode.HALF_UP);
            if (s.unscaledValue().bitLength() > 63) return Optional.empty();
            return Optional.of(new Literal(s, d));
        }
        if (c.type() instanceof DataType.IntType i && a instanceof Long x && b instanceof Long y) {
            long r = switch (c.op()) {
                case PLUS -> Math.addExact(x, y);
                case MINUS -> Math.subtractExact(x, y);
                default -> Math.multiplyExact(x, y);
            };
            if (r < i.minValue() || r > i.maxValue()) return Optional.empty();
            return Optional.of(new Literal(r, i));
        }
        return Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Optional<Expr> compare(Op op, Object a, Object b) {
        if (!(a instanceof Comparable ca) || a.getClass() != b.getClass()) return Optional.empty();
        int r = ca.compareTo(b);
        boolean v = switch (op) {
            case EQ -> r == 0;
            case NE -> r != 0;
            case LT -> r < 0;
            case LE -> r <= 0;
            case GT -> r > 0;
            default -> r >= 0;
        };
        return Optional.of(Literal.of(v));
    }
}
