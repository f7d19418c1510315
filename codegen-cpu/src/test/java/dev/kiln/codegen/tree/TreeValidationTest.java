package dev.kiln.codegen.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ill-typed trees fail where they are built, with a message naming the operation and the types. */
class TreeValidationTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void binaryOperandsMustMatch() {
        String m = message(() -> new Binary(BinOp.ADD, Const.of(1), Const.of(1L)));
        assertTrue(m.contains("ADD") && m.contains("int") && m.contains("long"), m);
        assertTrue(message(() -> new Binary(BinOp.LT, Const.of(true), Const.of(false))).contains("LT"));
        assertTrue(message(() -> new Binary(BinOp.LOGICAL_AND, Const.of(1), Const.of(1))).contains("LOGICAL_AND"));
        assertEquals(JType.BOOLEAN, new Binary(BinOp.GE, Const.of(1.0), Const.of(2.0)).type());
        assertEquals(JType.LONG, new Binary(BinOp.SHL, Const.of(1L), Const.of(3)).type());
    }

    @Test
    void methodResolutionIsExactAndNamesCandidates() {
        JExpr seg = new NullConst(JType.of(MemorySegment.class));
        JExpr layout = new StaticField(ValueLayout.class, "JAVA_LONG_UNALIGNED", JType.of(ValueLayout.OfLong.class));
        InvokeVirtual get = new InvokeVirtual(seg, MemorySegment.class, "get", List.of(layout, Const.of(8L)));
        assertEquals(JType.LONG, get.type());
        String m = message(() -> new InvokeVirtual(seg, MemorySegment.class, "get", List.of(layout, Const.of(8))));
        assertTrue(m.contains("get(java.lang.foreign.ValueLayout.OfLong, int)") && m.contains("candidates: ") && m.contains("get(java.lang.foreign.ValueLayout$OfLong, long)"), m);
        assertEquals(JType.INT, new InvokeStatic(Math.class, "max", List.of(Const.of(1), Const.of(2))).type());
        assertTrue(message(() -> new InvokeStatic(Math.class, "max", List.of(Const.of(1), Const.of(2L)))).contains("no static method java.lang.Math.max(int, long)"));
        // Applicable by subtyping only: String.valueOf(Object) for a CharSequence argument.
        assertEquals(Object.class, new InvokeStatic(String.class, "valueOf", List.of(new NullConst(JType.of(CharSequence.class)))).resolved().getParameterTypes()[0]);
    }

    @Test
    void constantsNamesAndStatementsAreChecked() {
        assertTrue(message(() -> new Const(1L, JType.INT)).contains("needs a Integer value"));
        assertTrue(message(() -> new LocalVar("x; System.exit(1)", JType.INT)).contains("not a valid Java identifier"));
        assertTrue(message(() -> new LocalVar("class", JType.INT)).contains("not a valid Java identifier"));
        assertTrue(message(() -> new Eval(Const.of(1))).contains("Eval takes a method call"));
        LocalVar x = new LocalVar("x", JType.LONG);
        assertTrue(message(() -> new Assign(x, Const.of(1))).contains("cannot assign a int to local x of type long"));
        assertTrue(message(() -> Block.of(Return.none(), new Assign(x, Const.of(1L)))).contains("unreachable statement Assign after Return"));
        assertTrue(message(() -> Block.of(new While(Optional.empty(), Const.of(true), Block.of()), new Assign(x, Const.of(1L)))).contains("unreachable"));
        assertTrue(message(() -> new For(Optional.empty(), Block.of(), Const.of(true), new Throw(new NullConst(JType.of(RuntimeException.class))), Block.of()))
                .contains("For update must consist of"));
        assertTrue(message(() -> new Convert(Const.of(true), JType.INT)).contains("cannot convert boolean to int"));
    }

    @Test
    void reachabilityFollowsJava() {
        LocalVar x = new LocalVar("x", JType.LONG);
        JStmt loopWithBreak = new While(Optional.of("w"), Const.of(true), Block.of(If.of(Const.of(false), new Break(Optional.of("w")))));
        assertTrue(Reach.completesNormally(loopWithBreak));
        JStmt innerBreakOnly = new While(Optional.empty(), Const.of(true),
                new While(Optional.empty(), Const.of(true), new Break(Optional.empty())));
        assertEquals(false, Reach.completesNormally(innerBreakOnly));
        assertEquals(false, Reach.completesNormally(If.of(Const.of(true), Return.of(Const.of(1L)), new Throw(new NullConst(JType.of(Error.class))))));
        assertTrue(Reach.completesNormally(If.of(Const.of(true), Return.of(Const.of(1L)))));
        assertTrue(Reach.completesNormally(new Assign(x, Const.of(1L))));
    }

    @Test
    void typesDescribeThemselves() {
        assertEquals("[J", JType.of(long[].class).descriptor());
        assertEquals("long[]", JType.of(long[].class).javaName());
        assertEquals("java.lang.foreign.ValueLayout.OfInt", JType.of(ValueLayout.OfInt.class).javaName());
        assertEquals("java/lang/foreign/ValueLayout$OfInt", JType.of(ValueLayout.OfInt.class).internalName());
        assertTrue(JType.LONG.isWide() && JType.LONG.isPrimitive() && !JType.INT.isWide());
        assertEquals(JType.of(long[][].class), JType.of(long[].class).arrayOf());
    }
}
