package dev.kiln.codegen;

import dev.kiln.codegen.emit.Backend;

/**
 * @param backend       ASM writes bytecode directly (fast compile, the default); JANINO compiles
 *                      the printed Java source (slower, used to cross-check the two)
 * @param collectSource keep the Java source of every pipeline for EXPLAIN CODEGEN
 */
public record CompileOptions(Backend backend, boolean collectSource) {
    public static CompileOptions defaults() {
        return new CompileOptions(Backend.ASM, false);
    }
}
