package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.*;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random well-typed expression trees over eight parameters (two each of long, int, double,
 * boolean), and a direct interpreter for them that serves as the oracle for both backends.
 */
final class ExprTrees {
    private ExprTrees() {}

    static final LocalVar A = new LocalVar("a", JType.LONG);
    static final LocalVar B = new LocalVar("b", JType.LONG);
    static final LocalVar I = new LocalVar("i", JType.INT);
    static final LocalVar J = new LocalVar("j", JType.INT);
    static final LocalVar X = new LocalVar("x", JType.DOUBLE);
    static final LocalVar Y = new LocalVar("y", JType.DOUBLE);
    static final LocalVar P = new LocalVar("p", JType.BOOLEAN);
    static final LocalVar Q = new LocalVar("q", JType.BOOLEAN);
    static final List<LocalVar> PARAMS = List.of(A, B, I, J, X, Y, P, Q);
    static final List<JType> TYPES = List.of(JType.LONG, JType.INT, JType.DOUBLE, JType.BOOLEAN);

    record Inputs(long a, long b, int i, int j, double x, double y, boolean p, boolean q) {
        Map<String, Object> env() {
            return Map.of("a", a, "b", b, "i", i, "j", j, "x", x, "y", y, "p", p, "q", q);
        }
    }

    static JExpr gen(JType t, int depth, Random r) {
        if (depth == 0 || r.nextInt(5) == 0) return leaf(t, r);
        JExpr e;
        if (t.equals(JType.BOOLEAN)) e = bool(depth - 1, r);
        else if (t.equals(JType.DOUBLE)) e = dbl(depth - 1, r);
        else e = integral(t, depth - 1, r);
        return e;
    }

    private static JExpr leaf(JType t, Random r) {
        boolean local = r.nextBoolean();
        if (t.equals(JType.LONG)) return local ? new Local(r.nextBoolean() ? A : B) : Const.of(pick(r, 0L, 1L, -1L, 7L, Long.MIN_VALUE, Long.MAX_VALUE, r.nextLong()));
        if (t.equals(JType.INT)) return local ? new Local(r.nextBoolean() ? I : J) : Const.of(pick(r, 0, 1, -1, 31, Integer.MIN_VALUE, Integer.MAX_VALUE, r.nextInt()));
        if (t.equals(JType.DOUBLE)) return local ? new Local(r.nextBoolean() ? X : Y) : Const.of(pick(r, 0.0, -0.0, 1.5, Double.NaN, Double.NEGATIVE_INFINITY, 1e308, r.nextGaussian()));
        return local ? new Local(r.nextBoolean() ? P : Q) : Const.of(r.nextBoolean());
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... xs) {
        return xs[r.nextInt(xs.length)];
    }

    private static JExpr integral(JType t, int d, Random r) {
        boolean isLong = t.equals(JType.LONG);
        JType other = isLong ? JType.INT : JType.LONG;
        return switch (r.nextInt(11)) {
            case 0 -> new Binary(pick(r, BinOp.ADD, BinOp.SUB, BinOp.MUL), gen(t, d, r), gen(t, d, r));
            // A divisor with its low bit set is never zero.
            case 1 -> new Binary(pick(r, BinOp.DIV, BinOp.REM), gen(t, d, r), new Binary(BinOp.OR, gen(t, d, r), isLong ? Const.of(1L) : Const.of(1)));
            case 2 -> new Binary(pick(r, BinOp.AND, BinOp.OR, BinOp.XOR), gen(t, d, r), gen(t, d, r));
            case 3 -> new Binary(pick(r, BinOp.SHL, BinOp.SHR, BinOp.USHR), gen(t, d, r), gen(pick(r, JType.INT, JType.LONG), d, r));
            case 4 -> new Unary(UnOp.NEG, gen(t, d, r));
            case 5 -> new Ternary(gen(JType.BOOLEAN, d, r), gen(t, d, r), gen(t, d, r));
            case 6 -> new Convert(gen(other, d, r), t);
            case 7 -> new Convert(gen(JType.DOUBLE, d, r), t);
            case 8 -> new InvokeStatic(Math.class, pick(r, "max", "min"), List.of(gen(t, d, r), gen(t, d, r)));
            case 9 -> new Convert(new Convert(gen(t, d, r), pick(r, JType.BYTE, JType.SHORT, JType.CHAR)), t);
            default -> leaf(t, r);
        };
    }

    private static JExpr dbl(int d, Random r) {
        JType t = JType.DOUBLE;
        return switch (r.nextInt(7)) {
            case 0 -> new Binary(pick(r, BinOp.ADD, BinOp.SUB, BinOp.MUL, BinOp.DIV, BinOp.REM), gen(t, d, r), gen(t, d, r));
            case 1 -> new Unary(UnOp.NEG, gen(t, d, r));
            case 2 -> new Ternary(gen(JType.BOOLEAN, d, r), gen(t, d, r), gen(t, d, r));
            case 3 -> new Convert(gen(pick(r, JType.INT, JType.LONG), d, r), t);
            case 4 -> new InvokeStatic(Math.class, pick(r, "sqrt", "abs", "floor"), List.of(gen(t, d, r)));
            case 5 -> new Convert(new Convert(gen(t, d, r), JType.FLOAT), t);
            default -> leaf(t, r);
        };
    }

    private static JExpr bool(int d, Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> {
                JType t = pick(r, JType.LONG, JType.INT, JType.DOUBLE);
                yield new Binary(pick(r, BinOp.EQ, BinOp.NE, BinOp.LT, BinOp.LE, BinOp.GT, BinOp.GE), gen(t, d, r), gen(t, d, r));
            }
            case 1 -> new Binary(pick(r, BinOp.LOGICAL_AND, BinOp.LOGICAL_OR), gen(JType.BOOLEAN, d, r), gen(JType.BOOLEAN, d, r));
            case 2 -> new Binary(pick(r, BinOp.AND, BinOp.OR, BinOp.XOR, BinOp.EQ, BinOp.NE), gen(JType.BOOLEAN, d, r), gen(JType.BOOLEAN, d, r));
            case 3 -> new Unary(UnOp.NOT, gen(JType.BOOLEAN, d, r));
            case 4 -> new Ternary(gen(JType.BOOLEAN, d, r), gen(JType.BOOLEAN, d, r), gen(JType.BOOLEAN, d, r));
            case 5 -> new Binary(BinOp.GE, gen(JType.DOUBLE, d, r), gen(JType.DOUBLE, d, r));
            default -> leaf(JType.BOOLEAN, r);
        };
    }

    /** Evaluates {@code e} with Java's own operators: the oracle. */
    static Object eval(JExpr e, Map<String, Object> env) {
        return switch (e) {
            case Local l -> env.get(l.v().name());
            case Const c -> c.value();
            case Unary u -> switch (eval(u.operand(), env)) {
                case Boolean z -> !z;
                case Integer v -> -v;
                case Long v -> -v;
                case Double v -> -v;
                default -> throw new IllegalStateException();
            };
            case Ternary t -> (Boolean) eval(t.cond(), env) ? eval(t.a(), env) : eval(t.b(), env);
            case Convert c -> convert((Number) eval(c.e(), env), c.to());
            case InvokeStatic s -> {
                Object[] args = s.args().stream().map(a -> eval(a, env)).toArray();
                try {
                    yield s.resolved().invoke(null, args);
                } catch (IllegalAccessException | InvocationTargetException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            case Binary b -> binary(b, env);
            default -> throw new IllegalStateException("not generated: " + e);
        };
    }

    private static Object convert(Number n, JType to) {
        if (to.equals(JType.LONG)) return n.longValue();
        if (to.equals(JType.INT)) return n.intValue();
        if (to.equals(JType.DOUBLE)) return n.doubleValue();
        if (to.equals(JType.FLOAT)) return n.floatValue();
        // Java narrows double to byte/short/char through int; chars are kept as their int value.
        if (to.equals(JType.BYTE)) return (byte) n.intValue();
        if (to.equals(JType.SHORT)) return (short) n.intValue();
        if (to.equals(JType.CHAR)) return (int) (char) n.intValue();
        throw new IllegalStateException("no conversion to " + to);
    }

    private static Object binary(Binary b, Map<String, Object> env) {
        if (b.op() == BinOp.LOGICAL_AND) return (Boolean) eval(b.left(), env) && (Boolean) eval(b.right(), env);
        if (b.op() == BinOp.LOGICAL_OR) return (Boolean) eval(b.left(), env) || (Boolean) eval(b.right(), env);
        Object l = eval(b.left(), env);
        Object r = eval(b.right(), env);
        return switch (l) {
            case Long x when b.op().isShift() -> {
                long d = ((Number) r).longValue();
                yield switch (b.op()) { case SHL -> x << d; case SHR -> x >> d; default -> x >>> d; };
            }
            case Integer x when b.op().isShift() -> {
                long d = ((Number) r).longValue();
                yield switch (b.op()) { case SHL -> x << d; case SHR -> x >> d; default -> x >>> d; };
            }
            case Long x -> {
                long y = (Long) r;
                yield switch (b.op()) {
                    case ADD -> x + y; case SUB -> x - y; case MUL -> x * y; case DIV -> x / y; case REM -> x % y;
                    case AND -> x & y; case OR -> x | y; case XOR -> x ^ y;
                    case EQ -> x == y; case NE -> x != y; case LT -> x < y; case LE -> x <= y; case GT -> x > y; case GE -> x >= y;
                    default -> throw new IllegalStateException(b.op().name());
                };
            }
            case Integer x -> {
                int y = (Integer) r;
                yield switch (b.op()) {
                    case ADD -> x + y; case SUB -> x - y; case MUL -> x * y; case DIV -> x / y; case REM -> x % y;
                    case AND -> x & y; case OR -> x | y; case XOR -> x ^ y;
                    case EQ -> x == y; case NE -> x != y; case LT -> x < y; case LE -> x <= y; case GT -> x > y; case GE -> x >= y;
                    default -> throw new IllegalStateException(b.op().name());
                };
            }
            case Double x -> {
                double y = (Double) r;
                yield switch (b.op()) {
                    case ADD -> x + y; case SUB -> x - y; case MUL -> x * y; case DIV -> x / y; case REM -> x % y;
                    case EQ -> x == y; case NE -> x != y; case LT -> x < y; case LE -> x <= y; case GT -> x > y; case GE -> x >= y;
                    default -> throw new IllegalStateException(b.op().name());
                };
            }
            case Boolean x -> {
                boolean y = (Boolean) r;
                yield switch (b.op()) {
                    case AND -> x & y; case OR -> x | y; case XOR -> x ^ y; case EQ -> x == y; case NE -> x != y;
                    default -> throw new IllegalStateException(b.op().name());
                };
            }
            default -> throw new IllegalStateException("operand " + l);
        };
    }
}
