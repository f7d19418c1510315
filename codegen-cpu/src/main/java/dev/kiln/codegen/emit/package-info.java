/**
 * Backends for the code tree: {@link dev.kiln.codegen.emit.AsmEmitter} writes bytecode,
 * {@link dev.kiln.codegen.emit.JavaSourcePrinter} writes Java source that
 * {@link dev.kiln.codegen.emit.JaninoCompiler} compiles, so each checks the other.
 * {@link dev.kiln.codegen.emit.ClassCompiler} loads and verifies the result and reports any
 * failure as a {@link dev.kiln.codegen.emit.CodegenException} with the source attached;
 * {@link dev.kiln.codegen.emit.ClassCache} shares classes between plans of the same shape.
 */
package dev.kiln.codegen.emit;
