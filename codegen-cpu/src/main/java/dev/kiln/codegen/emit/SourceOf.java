package dev.kiln.codegen.emit;

import dev.kiln.codegen.tree.ClassDef;

/** Prints a class's source for an error report, keeping a printing failure visible as well. */
final class SourceOf {
    private SourceOf() {}

    static String print(ClassDef def, Throwable primary) {
        try {
            return JavaSourcePrinter.print(def);
        } catch (RuntimeException e) {
            if (primary != null) primary.addSuppressed(e);
            return "// the Java source of " + def.fqcn() + " could not be printed either: " + e.getMessage();
        }
    }
}
