package dev.kiln.codegen;

import dev.kiln.codegen.emit.Backend;

/**
 * @param backend       ASM writes bytecode directly (fast compile, the default); JANINO compiles
 *                      the printed Java source (slower, used to cross-check the two)
 * @param collectSource keep the Java source of every pipeline for EXPLAIN CODEGEN
 * @param profile       count the rows each operator produces (EXPLAIN ANALYZE); a separate
 *                      class shape, so plain queries pay nothing for it
 */
public record CompileOptions(Backend backend, boolean collectSource, boolean profile) {
    public CompileOptions(Backend backend, boolean collectSource) {
        this(backend, collectSource, false);
    }

    public static CompileOptions defaults() {
        return new CompileOptions(Backend.ASM, false);
    }

    public CompileOptions profiled() {
        return new CompileOptions(backend, collectSource, true);
    }
}
