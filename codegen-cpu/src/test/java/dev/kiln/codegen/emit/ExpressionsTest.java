package dev.kiln.codegen.emit;

import static dev.kiln.codegen.emit.Both.check;
import static dev.kiln.codegen.emit.Both.cls;
import static dev.kiln.codegen.emit.Both.method;
import static dev.kiln.codegen.emit.Both.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.emit.Fns.DoubleCmp;
import dev.kiln.codegen.emit.Fns.IntFn;
import dev.kiln.codegen.emit.Fns.LongFn;
import dev.kiln.codegen.emit.Fns.StrFn;
import dev.kiln.codegen.tree.*;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
    static final LocalVar X = v("x", JType.DOUBLE);
    static final LocalVar Y = v("y", JType.DOUBLE);
    static final LocalVar A = v("a", JType.LONG);
    static final LocalVar B = v("b", JType.LONG);
    static final double[] SPECIAL = {Double.NaN, 0.0, -0.0, 1.5, -1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
    static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, -(1L << 40) + 3};

    static JExpr l(LocalVar v) { return new Local(v); }

    /** A comparison used as a value, in an if condition, and negated, each against Java's own operator. */
    private static void checkDoubleComparison(BinOp op, BiPredicate<Double, Double> java) {
        JExpr cmp = new Binary(op, l(X), l(Y));
        MethodDef asValue = method("test", JType.BOOLEAN, List.of(X, Y), Block.of(Return.of(cmp)));
        MethodDef asBranch = method("test", JType.BOOLEAN, List.of(X, Y), Block.of(If.of(cmp, Return.of(Const.of(true)), Return.of(Const.of(false)))));
        MethodDef negated = method("test", JType.BOOLEAN, List.of(X, Y), Block.of(If.of(new Unary(UnOp.NOT, cmp), Return.of(Const.of(false))), Return.of(Const.of(true))));
        int n = 0;
        for (MethodDef m : List.of(asValue, asBranch, negated)) {
            for (DoubleCmp f : Both.instances(cls("D" + op + (n++), DoubleCmp.class, m), DoubleCmp.class)) {
                for (double x : SPECIAL) {
                    for (double y : SPECIAL) {
                        assertEquals(java.test(x, y), f.test(x, y), op + " " + x + " " + y + " in " + m.body());
                    }
                }
            }
        }
    }

    @Test
    void doubleComparisonsFollowJavaNaNSemantics() {
        checkDoubleComparison(BinOp.LT, (x, y) -> x < y);
        checkDoubleComparison(BinOp.LE, (x, y) -> x <= y);
        checkDoubleComparison(BinOp.GT, (x, y) -> x > y);
        checkDoubleComparison(BinOp.GE, (x, y) -> x >= y);
        checkDoubleComparison(BinOp.EQ, (x, y) -> x.doubleValue() == y.doubleValue());
        checkDoubleComparison(BinOp.NE, (x, y) -> x.doubleValue() != y.doubleValue());
    }

    @Test
    void longComparisonsAndShortCircuit() {
        // (a < b && a != 0) || a >= b + 100 ? 1 : 0, evaluated as value
        JExpr e = new Binary(BinOp.LOGICAL_OR,
                new Binary(BinOp.LOGICAL_AND, new Binary(BinOp.LT, l(A), l(B)), new Binary(BinOp.NE, l(A), Const.of(0L))),
                new Binary(BinOp.GE, l(A), new Binary(BinOp.ADD, l(B), Const.of(100L))));
        ClassDef def = cls("LongCmp", LongFn.class, method("apply", JType.LONG, List.of(A, B),
                Block.of(Return.of(new Ternary(e, Const.of(1L), Const.of(0L))))));
        List<LongFn> fns = Both.instances(def, LongFn.class);
        for (long a : LONGS) {
            for (long b : LONGS) {
                long want = ((a < b && a != 0) || a >= b + 100) ? 1 : 0;
                for (LongFn f : fns) assertEquals(want, f.apply(a, b), a + " " + b);
            }
        }
    }

    @Test
    void logicalOperatorsDoNotEvaluateTheRightSideNeedlessly() {
        // a == 0 || 10 / a > 1 : the division must not run when a == 0 (no ArithmeticException).
        JExpr div = new Binary(BinOp.GT, new Binary(BinOp.DIV, Const.of(10L), l(A)), Const.of(1L));
        JExpr or = new Binary(BinOp.LOGICAL_OR, new Binary(BinOp.EQ, l(A), Const.of(0L)), div);
        JExpr and = new Binary(BinOp.LOGICAL_AND, new Binary(BinOp.NE, l(A), Const.of(0L)), div);
        ClassDef def = cls("Short", LongFn.class, method("apply", JType.LONG, List.of(A, B), Block.of(
                Return.of(new Binary(BinOp.ADD, new Ternary(or, Const.of(10L), Const.of(0L)), new Ternary(and, Const.of(1L), Const.of(0L)))))));
        check(def, LongFn.class, f -> f.apply(0, 0), 10L);
        check(def, LongFn.class, f -> f.apply(3, 0), 11L);
        check(def, LongFn.class, f -> f.apply(20, 0), 0L);
    }

    @Test
    void integerArithmeticBitsAndShifts() {
        LocalVar p = v("p", JType.INT);
        LocalVar q = v("q", JType.INT);
        // ((p * 31) ^ (q >>> 3)) + (p % 7) - (q << (long) p) + (-p) / 3 + (p >> 2 | 5 & q)
        JExpr e = new Binary(BinOp.ADD,
                new Binary(BinOp.SUB,
                        new Binary(BinOp.ADD,
                                new Binary(BinOp.XOR, new Binary(BinOp.MUL, l(p), Const.of(31)), new Binary(BinOp.USHR, l(q), Const.of(3))),
                                new Binary(BinOp.REM, l(p), Const.of(7))),
                        new Binary(BinOp.SHL, l(q), new Convert(l(p), JType.LONG))),
                new Binary(BinOp.ADD, new Binary(BinOp.DIV, new Unary(UnOp.NEG, l(p)), Const.of(3)),
                        new Binary(BinOp.OR, new Binary(BinOp.SHR, l(p), Const.of(2)), new Binary(BinOp.AND, Const.of(5), l(q)))));
        ClassDef def = cls("Ints", IntFn.class, method("apply", JType.INT, List.of(p, q), Block.of(Return.of(e))));
        List<IntFn> fns = Both.instances(def, IntFn.class);
        int[] vals = {0, 1, -1, 7, -13, Integer.MIN_VALUE, Integer.MAX_VALUE, 123456};
        for (int a : vals) {
            for (int b : vals) {
                int want = ((a * 31) ^ (b >>> 3)) + (a % 7) - (b << (long) a) + (-a) / 3 + (a >> 2 | 5 & b);
                for (IntFn f : fns) assertEquals(want, f.apply(a, b), a + " " + b);
            }
        }
    }

    @Test
    void extremeConstantsRoundTrip() {
        // Return a long built from constants whose source spelling is special.
        JExpr sum = new Binary(BinOp.ADD, Const.of(Long.MIN_VALUE),
                new Convert(Const.of(Integer.MIN_VALUE), JType.LONG));
        JExpr bits = new InvokeStatic(Double.class, "doubleToRawLongBits", List.of(Const.of(-0.0)));
        JExpr nanCount = new Ternary(new Binary(BinOp.NE, Const.of(Double.NaN), Const.of(Double.NaN)), Const.of(1L), Const.of(0L));
        JExpr inf = new Convert(Const.of(Double.NEGATIVE_INFINITY), JType.LONG);
        JExpr tiny = new InvokeStatic(Double.class, "doubleToRawLongBits", List.of(Const.of(Double.MIN_VALUE)));
        JExpr third = new InvokeStatic(Double.class, "doubleToRawLongBits", List.of(Const.of(1.0 / 3)));
        LocalVar s = v("s", JType.LONG);
        ClassDef def = cls("Consts", LongFn.class, method("apply", JType.LONG, List.of(A, B), Block.of(
                new Declare(s, l(A)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(0L)), Return.of(sum)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(1L)), Return.of(bits)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(2L)), Return.of(nanCount)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(3L)), Return.of(inf)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(4L)), Return.of(tiny)),
                If.of(new Binary(BinOp.EQ, l(A), Const.of(5L)), Return.of(third)),
                Return.of(Const.of(-123456789012L)))));
        check(def, LongFn.class, f -> f.apply(0, 0), Long.MIN_VALUE + Integer.MIN_VALUE);
        check(def, LongFn.class, f -> f.apply(1, 0), Double.doubleToRawLongBits(-0.0));
        check(def, LongFn.class, f -> f.apply(2, 0), 1L);
        check(def, LongFn.class, f -> f.apply(3, 0), Long.MIN_VALUE);
        check(def, LongFn.class, f -> f.apply(4, 0), Double.doubleToRawLongBits(Double.MIN_VALUE));
        check(def, LongFn.class, f -> f.apply(5, 0), Double.doubleToRawLongBits(1.0 / 3));
        check(def, LongFn.class, f -> f.apply(6, 0), -123456789012L);
    }

    @Test
    void staticFieldsInterfaceCallsAndObjectMethodsOnInterfaces() {
        // CharSequence cs = Base.GREETING + "!"; return cs.length() * 100 + cs.toString().hashCode() % 100
        LocalVar cs = v("cs", JType.of(CharSequence.class));
        JExpr greeting = new StaticField(Fns.Base.class, "GREETING", JType.STRING);
        JExpr text = new InvokeVirtual(greeting, String.class, "concat", List.of(Const.of("!")));
        JExpr len = new InvokeVirtual(l(cs), CharSequence.class, "length", List.of());
        JExpr str = new InvokeVirtual(l(cs), CharSequence.class, "toString", List.of());
        JExpr hash = new InvokeVirtual(str, String.class, "hashCode", List.of());
        ClassDef def = cls("Itf", IntFn.class, method("apply", JType.INT, List.of(v("p", JType.INT), v("q", JType.INT)), Block.of(
                new Declare(cs, text),
                Return.of(new Binary(BinOp.ADD, new Binary(BinOp.MUL, len, Const.of(100)), new Binary(BinOp.REM, hash, Const.of(100)))))));
        check(def, IntFn.class, f -> f.apply(0, 0), 300 + "hi!".hashCode() % 100);
    }

    @Test
    void referenceArgumentsPickTheSameOverloadInBothBackends() {
        // String.valueOf(Object) with a String argument (applicable by subtyping only): "null" vs the char[] overload.
        LocalVar s = v("s", JType.STRING);
        JExpr call = new InvokeStatic(String.class, "valueOf", List.of(new Convert(l(s), JType.OBJECT)));
        JExpr sb = new NewObject(StringBuilder.class, List.of(Const.of("<")));
        JExpr appended = new InvokeVirtual(new InvokeVirtual(sb, StringBuilder.class, "append", List.of(call)), StringBuilder.class, "append", List.of(Const.of('>' + "")));
        ClassDef def = cls("Overload", StrFn.class, method("get", JType.STRING, List.of(), Block.of(
                new Declare(s, Const.of("v")),
                Return.of(new InvokeVirtual(appended, StringBuilder.class, "toString", List.of())))));
        check(def, StrFn.class, StrFn::get, "<v>");
    }

    @Test
    void conversionsFollowJavaCasts() {
        LocalVar d = v("d", JType.DOUBLE);
        // (long) d + (int) d * 10 + (byte) (int) d * 1000 + (short) (long) d ... collected in one long
        JExpr e = new Binary(BinOp.ADD,
                new Binary(BinOp.ADD, new Convert(l(d), JType.LONG), new Convert(new Binary(BinOp.MUL, new Convert(l(d), JType.INT), Const.of(10)), JType.LONG)),
                new Binary(BinOp.ADD,
                        new Convert(new Convert(new Convert(l(d), JType.INT), JType.BYTE), JType.LONG),
                        new Convert(new Convert(new Convert(l(d), JType.LONG), JType.SHORT), JType.LONG)));
        MethodDef m = method("test", JType.BOOLEAN, List.of(d, v("unused", JType.DOUBLE)), Block.of(
                Return.of(new Binary(BinOp.EQ, new Convert(e, JType.DOUBLE), new Binary(BinOp.SUB, l(d), Const.of(0.0))))));
        // Instead of a boolean, compare via a LongFn-free route: e == d only when all casts are exact.
        List<DoubleCmp> fns = Both.instances(cls("Casts", DoubleCmp.class, m), DoubleCmp.class);
        for (double x : new double[] {0.0, 3.0, 1e10, -7.9, Double.NaN, 1e300, 300.0}) {
            long want = (long) x + (int) x * 10 + (byte) (int) x + (short) (long) x;
            for (DoubleCmp f : fns) assertEquals((double) want == x - 0.0, f.test(x, 0), "x=" + x);
        }
    }

    @Test
    void whileLoopConditionWithComparisonsOnly() {
        // while (a > 0 && a % 10 != 7) a = a - 1;  return a
        LocalVar x = v("x", JType.LONG);
        ClassDef def = cls("W", LongFn.class, method("apply", JType.LONG, List.of(A, B), Block.of(
                new Declare(x, l(A)),
                new While(Optional.empty(), new Binary(BinOp.LOGICAL_AND, new Binary(BinOp.GT, l(x), Const.of(0L)),
                        new Binary(BinOp.NE, new Binary(BinOp.REM, l(x), Const.of(10L)), Const.of(7L))),
                        new Assign(x, new Binary(BinOp.SUB, l(x), Const.of(1L)))),
                Return.of(l(x)))));
        check(def, LongFn.class, f -> f.apply(25, 0), 17L);
        check(def, LongFn.class, f -> f.apply(5, 0), 0L);
    }
}
