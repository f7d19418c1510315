package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.ClassDef;

/**
 * Turns a {@link ClassDef} into a loaded, linked and verified class with either backend. Every
 * failure, whether the emitter's, Janino's or the JVM's verifier's, becomes a
 * {@link CodegenException} carrying the generated source.
 */
public final class ClassCompiler {
    private ClassCompiler() {}

    public static Class<?> compile(ClassDef def, Backend backend, ClassLoader parent) {
        return switch (backend) {
            case ASM -> viaAsm(def, parent);
            case JANINO -> viaJanino(def, parent);
        };
    }

    private static Class<?> viaAsm(ClassDef def, ClassLoader parent) {
        byte[] bytes = AsmEmitter.emit(def);
        try {
            Class<?> c = new GeneratedClassLoader(parent).define(def.fqcn(), bytes);
            // Initialising forces linking, so a VerifyError surfaces here and not at the first row.
            return Class.forName(def.fqcn(), true, c.getClassLoader());
        } catch (LinkageError | ClassNotFoundException e) {
            throw AsmEmitter.failure(def, "was rejected by the JVM (" + e.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    private static Class<?> viaJanino(ClassDef def, ClassLoader parent) {
        String source = JavaSourcePrinter.print(def);
        try {
            JavaSourcePrinter.printChecked(def);
        } catch (IllegalArgumentException e) {
            throw new CodegenException("generated class " + def.fqcn() + " is ill-typed: " + CodegenException.firstLines(e.getMessage(), 8)
                    + "\n(the full generated Java source is attached: CodegenException.source())", source, e);
        }
        return JaninoCompiler.compile(source, def.fqcn(), parent);
    }
}
