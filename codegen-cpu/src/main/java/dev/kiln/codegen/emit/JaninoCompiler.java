package dev.kiln.codegen.emit;

import org.codehaus.janino.SimpleCompiler;

/** Compiles one generated compilation unit with Janino and returns the (linked, verified) class. */
public final class JaninoCompiler {
    private JaninoCompiler() {}

    /**
     * @throws CodegenException with {@code source} attached when Janino rejects the source, the
     *     source does not define {@code fqcn}, or the JVM rejects the compiled class
     */
    public static Class<?> compile(String source, String fqcn, ClassLoader parent) {
        try {
            SimpleCompiler compiler = new SimpleCompiler();
            compiler.setParentClassLoader(parent);
            // generated code calls static interface methods (MemorySegment.ofArray): needs class files of Java 8+
            compiler.setSourceVersion(8);
            compiler.setTargetVersion(8);
            compiler.setDebuggingInformation(true, true, false);
            compiler.cook(fqcn.substring(fqcn.lastIndexOf('.') + 1) + ".java", source);
            // Initialising links and verifies now, not at the first row.
            return Class.forName(fqcn, true, compiler.getClassLoader());
        } catch (Exception | LinkageError e) {
            throw new CodegenException("generated class " + fqcn + " failed to compile with Janino: "
                    + CodegenException.firstLines(e.getMessage(), 8)
                    + "\n(the full generated Java source is attached: CodegenException.source())", source, e);
        }
    }
}
