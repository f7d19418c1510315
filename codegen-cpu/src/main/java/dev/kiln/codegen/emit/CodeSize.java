package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.MethodDef;

/** Bytecode size of a method, measured by emitting it, so the pipeline builder knows when to split. */
public final class CodeSize {
    private CodeSize() {}

    /**
     * The size in bytes of the method's bytecode. Fields and sibling methods it refers to are
     * not checked here; constant-pool indices may make the real method a byte or two larger.
     */
    public static int estimate(MethodDef method) {
        return AsmEmitter.methodSize(method);
    }
}
