package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class EvaluatorPropertiesTest {
    /** An unscaled value of at most {@code precision} digits (mostly small, sometimes near the limit). */
    private static BigDecimal decimal(Random r, int precision, int scale) {
        BigInteger limit = BigInteger.TEN.pow(precision);
        BigInteger unscaled = r.nextBoolean()
                ? new BigInteger(precision * 4, r).mod(limit)
                : BigInteger.valueOf(r.nextInt(20000) - 10000).mod(limit);
        if (r.nextBoolean()) unscaled = unscaled.negate();
        return new BigDecimal(unscaled, scale);
    }

    /**
     * DECIMAL PLUS, MINUS, TIMES, MOD against BigDecimal: the result type of the rules, the exact
     * value rounded HALF_UP to its scale, and an overflow error exactly when that leaves a long.
     */
    @Property(tries = 2000)
    void decimalArithmeticMatchesBigDecimal(@ForAll long seed, @ForAll("decimalOps") Op op) {
        Random r = new Random(seed);
        int p1 = 1 + r.nextInt(18);
        int s1 = r.nextInt(p1 + 1);
        int p2 = 1 + r.nextInt(18);
        int s2 = r.nextInt(p2 + 1);
        BigDecimal a = decimal(r, p1, s1);
        BigDecimal b = decimal(r, p2, s2);
        DataType.DecimalType ta = DataType.decimal(p1, s1);
        DataType.DecimalType tb = DataType.decimal(p2, s2);
        DataType.DecimalType result = resultType(op, ta, tb);
        Expr e = call(op, result, new Literal(a, ta), new Literal(b, tb));

        BigDecimal exact;
        if (op == Op.MOD && b.signum() == 0) {
            assertEquals("division by zero", error(() -> eval(e)));
            return;
        }
        exact = switch (op) {
            case PLUS -> a.add(b);
            case MINUS -> a.subtract(b);
            case TIMES -> a.multiply(b);
            default -> a.remainder(b);
        };
        BigDecimal expected = exact.setScale(result.scale(), RoundingMode.HALF_UP);
        if (expected.unscaledValue().bitLength() > 63) {
            String msg = error(() -> eval(e));
            assertEquals(result.sql() + " overflow in " + a.toPlainString() + " " + op.symbol() + " " + b.toPlainString(), msg);
        } else {
            BigDecimal actual = (BigDecimal) eval(e);
            assertEquals(expected, actual); // BigDecimal.equals also compares the scale
        }
    }

    @Provide
    Arbitrary<Op> decimalOps() {
        return Arbitraries.of(Op.PLUS, Op.MINUS, Op.TIMES, Op.MOD);
    }

    /** The result type as ir/expr/package-info states it, written out independently here. */
    private static DataType.DecimalType resultType(Op op, DataType.DecimalType x, DataType.DecimalType y) {
        if (op == Op.TIMES) {
            int s = Math.min(18, x.scale() + y.scale());
            return DataType.decimal(Math.min(18, x.precision() + y.precision()), s);
        }
        int s = Math.max(x.scale(), y.scale());
        return DataType.decimal(Math.min(18, Math.max(x.precision() - x.scale(), y.precision() - y.scale()) + s + 1), s);
    }

    /** Integer arithmetic against BigInteger: exact result, or an overflow error exactly when out of range. */
    @Property(tries = 2000)
    void integerArithmeticMatchesBigInteger(@ForAll long seed, @ForAll("intOps") Op op, @ForAll boolean wide) {
        Random r = new Random(seed);
        DataType.IntType t = wide ? DataType.BIGINT : DataType.INTEGER;
        long a = pick(r, t);
        long b = pick(r, t);
        Expr e = call(op, t, new Literal(a, t), new Literal(b, t));
        BigInteger x = BigInteger.valueOf(a);
        BigInteger y = BigInteger.valueOf(b);
        if ((op == Op.DIVIDE || op == Op.MOD) && b == 0) {
            assertEquals("division by zero", error(() -> eval(e)));
            return;
        }
        BigInteger exact = switch (op) {
            case PLUS -> x.add(y);
            case MINUS -> x.subtract(y);
            case TIMES -> x.multiply(y);
            case DIVIDE -> x.divide(y); // BigInteger truncates toward zero
            default -> x.remainder(y); // sign of the dividend
        };
        if (exact.compareTo(BigInteger.valueOf(t.minValue())) < 0 || exact.compareTo(BigInteger.valueOf(t.maxValue())) > 0) {
            assertEquals(t.sql() + " overflow in " + a + " " + op.symbol() + " " + b, error(() -> eval(e)));
        } else {
            assertEquals(exact.longValueExact(), eval(e));
        }
    }

    private static long pick(Random r, DataType.IntType t) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(21) - 10;
            case 1 -> r.nextBoolean() ? t.maxValue() - r.nextInt(3) : t.minValue() + r.nextInt(3);
            case 2 -> t.bits() == 64 ? r.nextLong() : r.nextInt();
            default -> (r.nextBoolean() ? 1 : -1) * (long) Math.sqrt((double) t.maxValue()) + r.nextInt(5) - 2;
        };
    }

    @Provide
    Arbitrary<Op> intOps() {
        return Arbitraries.of(Op.PLUS, Op.MINUS, Op.TIMES, Op.DIVIDE, Op.MOD);
    }

    // ---- three-valued logic on random boolean trees ------------------------------------------

    /** A random boolean expression over columns 0..2 of a BOOLEAN row. */
    private static Expr tree(Random r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(5)) {
                case 0 -> bool(true);
                case 1 -> bool(false);
                case 2 -> nul(BOOL);
                default -> col(r.nextInt(3), BOOL);
            };
        }
        return switch (r.nextInt(3)) {
            case 0 -> call(Op.NOT, BOOL, tree(r, depth - 1));
            case 1 -> call(Op.AND, BOOL, children(r, depth));
            default -> call(Op.OR, BOOL, children(r, depth));
        };
    }

    private static Expr[] children(Random r, int depth) {
        List<Expr> out = new ArrayList<>();
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) out.add(tree(r, depth - 1));
        return out.toArray(Expr[]::new);
    }

    private static final Boolean[] VALUES = {true, false, null};

    @Property(tries = 500)
    void deMorganAndThreeValuedLaws(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth) {
        Random r = new Random(seed);
        Expr p = tree(r, depth);
        Expr q = tree(r, depth);
        for (Boolean x : VALUES) {
            for (Boolean y : VALUES) {
                for (Boolean z : VALUES) {
                    Object[] row = {x, y, z};
                    Boolean vp = (Boolean) eval(p, row);
                    Boolean vq = (Boolean) eval(q, row);
                    String ctx = p + " / " + q + " on " + java.util.Arrays.toString(row);
                    // De Morgan
                    assertEquals(eval(call(Op.NOT, BOOL, call(Op.AND, BOOL, p, q)), row),
                            eval(call(Op.OR, BOOL, call(Op.NOT, BOOL, p), call(Op.NOT, BOOL, q)), row), ctx);
                    assertEquals(eval(call(Op.NOT, BOOL, call(Op.OR, BOOL, p, q)), row),
                            eval(call(Op.AND, BOOL, call(Op.NOT, BOOL, p), call(Op.NOT, BOOL, q)), row), ctx);
                    // double negation, commutativity, and the Kleene tables as min/max over F < U < T
                    assertEquals(vp, eval(call(Op.NOT, BOOL, call(Op.NOT, BOOL, p)), row), ctx);
                    assertEquals(eval(call(Op.AND, BOOL, p, q), row), eval(call(Op.AND, BOOL, q, p), row), ctx);
                    assertEquals(fromRank(Math.min(rank(vp), rank(vq))), eval(call(Op.AND, BOOL, p, q), row), ctx);
                    assertEquals(fromRank(Math.max(rank(vp), rank(vq))), eval(call(Op.OR, BOOL, p, q), row), ctx);
                    // excluded middle fails exactly on UNKNOWN
                    assertEquals(vp == null ? null : Boolean.TRUE, eval(call(Op.OR, BOOL, p, call(Op.NOT, BOOL, p)), row), ctx);
                    // a Filter keeps p's rows and NOT p's rows disjointly, and loses exactly the UNKNOWN ones
                    boolean kept = ExprEvaluator.isTrue(p, row) || ExprEvaluator.isTrue(call(Op.NOT, BOOL, p), row);
                    assertEquals(vp != null, kept, ctx);
                }
            }
        }
    }

    private static int rank(Boolean b) {
        return b == null ? 1 : b ? 2 : 0;
    }

    private static Boolean fromRank(int r) {
        return r == 1 ? null : r == 2;
    }
}
