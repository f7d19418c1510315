package dev.kiln.codegen.emit;

import static dev.kiln.codegen.emit.Both.cls;
import static dev.kiln.codegen.emit.Both.method;
import static dev.kiln.codegen.emit.Both.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Fns.LongFn;
import dev.kiln.codegen.tree.*;
import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodegenErrorsTest {
    static final LocalVar A = v("a", JType.LONG);
    static final LocalVar B = v("b", JType.LONG);

    private static ClassDef withApply(String cls, JStmt... body) {
        return cls(cls, LongFn.class, method("apply", JType.LONG, List.of(A, B), Block.of(body)),
                new MethodDef("brokenMethod", JType.LONG, List.of(), Block.of(body), false));
    }

    private static CodegenException fails(ClassDef def, Backend backend) {
        CodegenException e = assertThrows(CodegenException.class, () -> ClassCompiler.compile(def, backend, getLoader()));
        assertTrue(e.source().contains("private long brokenMethod()"), e.source());
        assertTrue(e.getMessage().contains(def.fqcn()), e.getMessage());
        assertTrue(e.getMessage().contains("full generated Java source is attached"), e.getMessage());
        assertTrue(e instanceof KilnException);
        return e;
    }

    private static ClassLoader getLoader() {
        return CodegenErrorsTest.class.getClassLoader();
    }

    @Test
    void undeclaredLocalCarriesTheSource() {
        ClassDef def = withApply("Ghost", Return.of(new Local(v("ghost", JType.LONG))));
        assertTrue(fails(def, Backend.ASM).getMessage().contains("local ghost (long) is used outside the scope of any declaration"));
        assertTrue(fails(def, Backend.JANINO).getMessage().contains("ghost"));
    }

    @Test
    void localUsedWithAnotherTypeCarriesTheSource() {
        LocalVar x = v("x", JType.LONG);
        LocalVar xAsInt = v("x", JType.INT);
        ClassDef def = withApply("Mismatch", new Declare(x, Const.of(1L)),
                Return.of(new Convert(new Local(xAsInt), JType.LONG)));
        assertTrue(fails(def, Backend.ASM).getMessage().contains("local x is declared as long but used as int"));
        // Java source cannot express the mismatch (it names x without a type), so the printer reports it.
        assertTrue(fails(def, Backend.JANINO).getMessage().contains("local x is declared as long but used as int"));
    }

    @Test
    void duplicateDeclarationInOverlappingScopes() {
        LocalVar x = v("x", JType.LONG);
        ClassDef def = withApply("Dup", new Declare(x, Const.of(1L)), Block.of(new Declare(x, Const.of(2L))), Return.of(new Local(x)));
        assertTrue(fails(def, Backend.ASM).getMessage().contains("local x is declared twice in overlapping scopes"));
        fails(def, Backend.JANINO);
    }

    @Test
    void missingReturnAndStrayBreak() {
        ClassDef noReturn = withApply("NoReturn", If.of(new Binary(BinOp.LT, Const.of(1L), Const.of(2L)), Return.of(Const.of(1L))));
        assertTrue(fails(noReturn, Backend.ASM).getMessage().contains("can complete without a return statement"));
        fails(noReturn, Backend.JANINO);
        ClassDef stray = withApply("Stray", If.of(Const.of(true), new Break(Optional.empty())), Return.of(Const.of(0L)));
        assertTrue(fails(stray, Backend.ASM).getMessage().contains("break outside any loop"));
        fails(stray, Backend.JANINO);
    }

    @Test
    void undeclaredFieldAndUnknownThisMethod() {
        ClassDef field = withApply("NoField", Return.of(new ThisField("missing", JType.LONG)));
        assertTrue(fails(field, Backend.ASM).getMessage().contains("has no field missing"));
        fails(field, Backend.JANINO);
        ClassDef call = withApply("NoMethod", Return.of(new InvokeThis("nowhere", JType.LONG, List.of())));
        assertTrue(fails(call, Backend.ASM).getMessage().contains("has no such method"));
        fails(call, Backend.JANINO);
    }

    /** {@code s = s + a * K_i} for {@code n} distinct constants: 10 bytes of bytecode each. */
    private static MethodDef big(String name, int n, long seed, boolean isPublic) {
        LocalVar s = v("s", JType.LONG);
        List<JStmt> body = new ArrayList<>();
        body.add(new Declare(s, Const.of(0L)));
        for (int k = 0; k < n; k++) {
            body.add(new Assign(s, new Binary(BinOp.ADD, new Local(s), new Binary(BinOp.MUL, new Local(A), Const.of(seed + 1_000_003L * k)))));
        }
        body.add(Return.of(new Local(s)));
        return new MethodDef(name, JType.LONG, List.of(A, B), new Block(body), isPublic);
    }

    @Test
    void methodsOverTheLimitAreRejectedUnlessLenient() {
        MethodDef m = big("apply", 1000, 1L << 40, true);
        int size = CodeSize.estimate(m);
        assertTrue(size > AsmEmitter.MAX_METHOD_BYTES, "size " + size);
        ClassDef def = cls("Huge", LongFn.class, m);
        CodegenException e = assertThrows(CodegenException.class, () -> AsmEmitter.emit(def));
        assertTrue(e.getMessage().contains("apply(JJ)J of " + size + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("must split it"), e.getMessage());
        // Lenient mode emits it, and it runs.
        byte[] bytes = AsmEmitter.emit(def, false);
        assertTrue(bytes.length > size);
    }

    @Test
    void classesOverTheLimitAreRejected() {
        List<MethodDef> ms = new ArrayList<>();
        // each method's 700 distinct long constants take 1400 constant-pool entries
        for (int k = 0; k < 44; k++) ms.add(big("part" + k, 700, (long) k << 50, false));
        ms.add(method("apply", JType.LONG, List.of(A, B), Block.of(Return.of(new Local(A)))));
        ClassDef def = new ClassDef("Wide", Both.PKG, Object.class, List.of(LongFn.class), List.of(), ms);
        CodegenException e = assertThrows(CodegenException.class, () -> AsmEmitter.emit(def));
        assertTrue(e.getMessage().contains("constant-pool entries, over the 60000 Kiln allows"), e.getMessage());
        assertTrue(e.source().contains("private long part43(long a, long b)"));
        // past the JVM's own limit ASM refuses to write the class: the same kind of error
        for (int k = 44; k < 50; k++) ms.add(big("part" + k, 700, (long) k << 50, false));
        ClassDef wider = new ClassDef("Wider", Both.PKG, Object.class, List.of(LongFn.class), List.of(), ms);
        CodegenException tooLarge = assertThrows(CodegenException.class, () -> AsmEmitter.emit(wider));
        assertTrue(tooLarge.getMessage().contains("over the JVM's limit of 65535"), tooLarge.getMessage());
        // a class of many methods is fine as long as its constants fit, however many bytes it has
        List<MethodDef> few = new ArrayList<>();
        for (int k = 0; k < 12; k++) few.add(big("part" + k, 700, 0L, false));
        few.add(method("apply", JType.LONG, List.of(A, B), Block.of(Return.of(new Local(A)))));
        byte[] bytes = AsmEmitter.emit(new ClassDef("Long", Both.PKG, Object.class, List.of(LongFn.class), List.of(), few));
        assertTrue(bytes.length > 64 * 1024, "a class of " + bytes.length + " bytes");
    }

    @Test
    void codeSizeIsTheExactBytecodeLength() {
        // lload_1, lload_3, ladd, lreturn
        MethodDef add = method("apply", JType.LONG, List.of(A, B), Block.of(Return.of(new Binary(BinOp.ADD, new Local(A), new Local(B)))));
        assertEquals(4, CodeSize.estimate(add));
        // + lconst_0 lstore 5 (declare: 1 + 2 bytes) ... grows by 10 bytes per statement (lload 5, lload_1, ldc2_w, lmul, ladd, lstore 5).
        assertEquals(CodeSize.estimate(big("apply", 10, 1L << 40, true)) + 10 * 10, CodeSize.estimate(big("apply", 20, 1L << 40, true)));
        Emitted sizes = Emitted.of(cls("Sizes", LongFn.class, add));
        assertEquals(4, sizes.methodSizes().get("apply(JJ)J"));
    }

    /** Shorthand to read the per-method sizes the emitter reports. */
    private record Emitted(java.util.Map<String, Integer> methodSizes) {
        static Emitted of(ClassDef def) {
            return new Emitted(AsmEmitter.emitWithSizes(def, true).methodSizes());
        }
    }
}
