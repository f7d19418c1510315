package dev.kiln.codegen.emit;

import static dev.kiln.codegen.emit.Both.check;
import static dev.kiln.codegen.emit.Both.cls;
import static dev.kiln.codegen.emit.Both.method;
import static dev.kiln.codegen.emit.Both.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.codegen.emit.Fns.Box;
import dev.kiln.codegen.emit.Fns.LongFn;
import dev.kiln.codegen.tree.*;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementsTest {
    static final LocalVar A = v("a", JType.LONG);
    static final LocalVar B = v("b", JType.LONG);
    static final List<LocalVar> AB = List.of(A, B);

    static JExpr l(LocalVar v) { return new Local(v); }
    static JExpr c(long x) { return Const.of(x); }
    static JExpr c(int x) { return Const.of(x); }
    static JExpr bin(BinOp op, JExpr x, JExpr y) { return new Binary(op, x, y); }

    static ClassDef longFn(String name, JStmt... body) {
        return cls(name, LongFn.class, method("apply", JType.LONG, AB, Block.of(body)));
    }

    @Test
    void forLoopSumsOneToN() {
        LocalVar i = v("i", JType.LONG);
        LocalVar sum = v("sum", JType.LONG);
        ClassDef def = longFn("Sum",
                new Declare(sum, c(0L)),
                new For(Optional.empty(), new Declare(i, c(1L)), bin(BinOp.LE, l(i), l(A)),
                        new Assign(i, bin(BinOp.ADD, l(i), c(1L))),
                        Block.of(new Assign(sum, bin(BinOp.ADD, l(sum), l(i))))),
                Return.of(l(sum)));
        check(def, LongFn.class, f -> f.apply(100, 0), 5050L);
        check(def, LongFn.class, f -> f.apply(0, 0), 0L);
        check(def, LongFn.class, f -> f.apply(100_000, 0), 5_000_050_000L);
    }

    @Test
    void continueInForRunsTheUpdate() {
        // Sum of odd i in [0, a): continue on even i must still increment i.
        LocalVar i = v("i", JType.LONG);
        LocalVar sum = v("sum", JType.LONG);
        ClassDef def = longFn("Odd",
                new Declare(sum, c(0L)),
                new For(Optional.empty(), new Declare(i, c(0L)), bin(BinOp.LT, l(i), l(A)),
                        new Assign(i, bin(BinOp.ADD, l(i), c(1L))),
                        Block.of(
                                If.of(bin(BinOp.EQ, bin(BinOp.REM, l(i), c(2L)), c(0L)), new Continue(Optional.empty())),
                                new Assign(sum, bin(BinOp.ADD, l(sum), l(i))))),
                Return.of(l(sum)));
        check(def, LongFn.class, f -> f.apply(10, 0), 25L);
    }

    @Test
    void labeledBreakAndContinueInNestedFors() {
        // outer: for i in [0,a): for j in [0,b): if j > i continue outer; if i*j == 12 break outer; n += i*10 + j
        LocalVar i = v("i", JType.LONG);
        LocalVar j = v("j", JType.LONG);
        LocalVar n = v("n", JType.LONG);
        For inner = new For(Optional.of("inner"), new Declare(j, c(0L)), bin(BinOp.LT, l(j), l(B)),
                new Assign(j, bin(BinOp.ADD, l(j), c(1L))),
                Block.of(
                        If.of(bin(BinOp.GT, l(j), l(i)), new Continue(Optional.of("outer"))),
                        If.of(bin(BinOp.EQ, bin(BinOp.MUL, l(i), l(j)), c(12L)), new Break(Optional.of("outer"))),
                        If.of(bin(BinOp.EQ, l(j), c(1L)), new Continue(Optional.empty())),
                        new Assign(n, bin(BinOp.ADD, l(n), bin(BinOp.ADD, bin(BinOp.MUL, l(i), c(10L)), l(j))))));
        For outer = new For(Optional.of("outer"), new Declare(i, c(0L)), bin(BinOp.LT, l(i), l(A)),
                new Assign(i, bin(BinOp.ADD, l(i), c(1L))), Block.of(inner));
        ClassDef def = longFn("Nested", new Declare(n, c(0L)), outer, Return.of(l(n)));
        check(def, LongFn.class, f -> f.apply(6, 6), reference(6, 6));
        check(def, LongFn.class, f -> f.apply(3, 10), reference(3, 10));
    }

    private static long reference(long a, long b) {
        long n = 0;
        outer:
        for (long i = 0; i < a; i++) {
            for (long j = 0; j < b; j++) {
                if (j > i) continue outer;
                if (i * j == 12) break outer;
                if (j == 1) continue;
                n += i * 10 + j;
            }
        }
        return n;
    }

    @Test
    void whileWithBreakAndTrueCondition() {
        // Collatz steps of a: while (true) { if (a == 1) break; a = a odd ? 3a+1 : a/2; steps++ }
        LocalVar steps = v("steps", JType.LONG);
        LocalVar x = v("x", JType.LONG);
        JExpr odd = bin(BinOp.EQ, bin(BinOp.AND, l(x), c(1L)), c(1L));
        ClassDef def = longFn("Collatz",
                new Declare(x, l(A)),
                new Declare(steps, c(0L)),
                new While(Optional.of("loop"), Const.of(true), Block.of(
                        If.of(bin(BinOp.EQ, l(x), c(1L)), new Break(Optional.of("loop"))),
                        new Assign(x, new Ternary(odd, bin(BinOp.ADD, bin(BinOp.MUL, l(x), c(3L)), c(1L)), bin(BinOp.DIV, l(x), c(2L)))),
                        new Assign(steps, bin(BinOp.ADD, l(steps), c(1L))))),
                Return.of(l(steps)));
        check(def, LongFn.class, f -> f.apply(27, 0), 111L);
    }

    @Test
    void ifElseChainAndReturnsFromBothBranches() {
        JStmt chain = If.of(bin(BinOp.LT, l(A), l(B)), Return.of(c(-1L)),
                If.of(bin(BinOp.GT, l(A), l(B)), Return.of(c(1L)), Block.of(new Comment("equal */ \n x"), Return.of(c(0L)))));
        ClassDef def = longFn("Cmp", chain);
        check(def, LongFn.class, f -> f.apply(1, 2), -1L);
        check(def, LongFn.class, f -> f.apply(3, 2), 1L);
        check(def, LongFn.class, f -> f.apply(2, 2), 0L);
    }

    @Test
    void siblingBlocksMayReuseANameAndWideLocalsGetTwoSlots() {
        LocalVar t1 = v("t", JType.LONG);
        LocalVar t2 = v("t", JType.DOUBLE);
        LocalVar r = v("r", JType.LONG);
        LocalVar k = v("k", JType.INT);
        ClassDef def = longFn("Scopes",
                new Declare(r, c(0L)),
                Block.of(new Declare(t1, bin(BinOp.MUL, l(A), c(2L))), new Assign(r, l(t1))),
                Block.of(new Declare(t2, Const.of(0.5)), new Declare(k, c(3)),
                        new Assign(r, bin(BinOp.ADD, l(r), new Convert(bin(BinOp.MUL, l(t2), new Convert(l(k), JType.DOUBLE)), JType.LONG)))),
                Return.of(l(r)));
        check(def, LongFn.class, f -> f.apply(5, 0), 11L);
    }

    @Test
    void evalPopsResultsOfEveryWidth() {
        LocalVar box = v("box", JType.of(Box.class));
        ClassDef def = longFn("Pops",
                new Declare(box, new NewObject(Box.class, List.of(l(A)))),
                new Eval(new InvokeVirtual(l(box), Box.class, "add", List.of(c(5L)))),      // object result
                new Eval(new InvokeVirtual(l(box), Box.class, "get", List.of())),             // long result: pop2
                new Eval(new InvokeStatic(Math.class, "max", List.of(c(1), c(2)))),           // int result
                new Eval(new InvokeStatic(Math.class, "sqrt", List.of(Const.of(2.0)))),      // double result: pop2
                new Eval(new NewObject(Box.class, List.of(c(1L)))),
                Return.of(new GetField(l(box), Box.class, "value", JType.LONG)));
        check(def, LongFn.class, f -> f.apply(10, 0), 15L);
    }

    @Test
    void throwRaisesTheException() {
        JExpr ex = new NewObject(IllegalStateException.class, List.of(Const.of("boom")));
        ClassDef def = longFn("Thrower", If.of(bin(BinOp.LT, l(A), c(0L)), new Throw(ex)), Return.of(l(A)));
        for (LongFn f : Both.instances(def, LongFn.class)) {
            assertEquals(4L, f.apply(4, 0));
            assertEquals("boom", assertThrows(IllegalStateException.class, () -> f.apply(-1, 0)).getMessage());
        }
    }

    @Test
    void arraysFieldsAndPrivateMethods() {
        // this.arr = new long[a]; for i: arr[i] = i*i; return this.sumOf(arr) + arr.length
        FieldDef arr = new FieldDef("arr", JType.of(long[].class));
        ThisField arrF = new ThisField("arr", arr.type());
        LocalVar i = v("i", JType.INT);
        LocalVar xs = v("xs", arr.type());
        LocalVar s = v("s", JType.LONG);
        MethodDef sumOf = new MethodDef("sumOf", JType.LONG, List.of(xs), Block.of(
                new Declare(s, c(0L)),
                new For(Optional.empty(), new Declare(i, c(0)), bin(BinOp.LT, l(i), new ArrayLength(l(xs))),
                        new Assign(i, bin(BinOp.ADD, l(i), c(1))),
                        new Assign(s, bin(BinOp.ADD, l(s), new ArrayLoad(l(xs), l(i))))),
                Return.of(l(s))), false);
        MethodDef apply = method("apply", JType.LONG, AB, Block.of(
                new AssignThisField("arr", arr.type(), new NewArray(JType.LONG, new Convert(l(A), JType.INT))),
                new For(Optional.empty(), new Declare(i, c(0)), bin(BinOp.LT, l(i), new ArrayLength(arrF)),
                        new Assign(i, bin(BinOp.ADD, l(i), c(1))),
                        new ArrayStore(arrF, l(i), new Convert(bin(BinOp.MUL, l(i), l(i)), JType.LONG))),
                Return.of(bin(BinOp.ADD, new InvokeThis("sumOf", JType.LONG, List.of(arrF)), new Convert(new ArrayLength(arrF), JType.LONG)))));
        ClassDef def = cls("Arrays", LongFn.class, List.of(arr), apply, sumOf);
        check(def, LongFn.class, f -> f.apply(4, 0), 0L + 1 + 4 + 9 + 4);
    }

    @Test
    void overridesAnAbstractSuperclassMethod() {
        LocalVar n = v("n", JType.LONG);
        MethodDef run = method("run", JType.LONG, List.of(n), Block.of(Return.of(bin(BinOp.MUL, l(n), c(3L)))));
        ClassDef def = new ClassDef("Sub", Both.PKG, Fns.Base.class, List.of(), List.of(), List.of(run));
        for (Backend b : Backend.values()) {
            Fns.Base base = Both.instance(def, b, Fns.Base.class);
            assertEquals(21L, base.run(7));
            assertEquals(7L, base.counter);
        }
    }

    @Test
    void byteArraysAndNarrowingConversions() {
        // byte[] bs = new byte[2]; bs[0] = (byte) a; bs[1] = (byte) (short) b; return bs[0] * 1000 + bs[1]
        JType bytes = JType.of(byte[].class);
        LocalVar bs = v("bs", bytes);
        ClassDef def = longFn("Bytes",
                new Declare(bs, new NewArray(JType.BYTE, c(2))),
                new ArrayStore(l(bs), c(0), new Convert(l(A), JType.BYTE)),
                new ArrayStore(l(bs), c(1), new Convert(new Convert(l(B), JType.SHORT), JType.BYTE)),
                Return.of(bin(BinOp.ADD, bin(BinOp.MUL, new Convert(new ArrayLoad(l(bs), c(0)), JType.LONG), c(1000L)),
                        new Convert(new ArrayLoad(l(bs), c(1)), JType.LONG))));
        check(def, LongFn.class, f -> f.apply(200, 65535 + 3), (long) (byte) 200 * 1000 + (byte) (short) (65535 + 3));
    }

    @Test
    void checkcastAndReferenceComparisons() {
        LocalVar o = v("o", JType.OBJECT);
        JExpr asString = new Convert(l(o), JType.STRING);
        MethodDef apply = method("apply", JType.OBJECT, List.of(o), Block.of(
                If.of(bin(BinOp.EQ, l(o), new NullConst(JType.OBJECT)), Return.of(Const.of("was null"))),
                Return.of(new InvokeVirtual(asString, String.class, "concat", List.of(Const.of("!"))))));
        ClassDef def = cls("Cast", Fns.ObjFn.class, apply);
        for (Fns.ObjFn f : Both.instances(def, Fns.ObjFn.class)) {
            assertEquals("was null", f.apply(null));
            assertEquals("x!", f.apply("x"));
            assertThrows(ClassCastException.class, () -> f.apply(42));
        }
    }
}
