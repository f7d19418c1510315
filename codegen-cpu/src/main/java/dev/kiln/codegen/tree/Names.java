package dev.kiln.codegen.tree;

import java.util.Set;

/**
 * Validates names that the source printer writes verbatim (locals, fields, methods, labels,
 * classes). Checking them here keeps generated source from ever being injectable and makes both
 * backends reject the same trees.
 */
public final class Names {
    private Names() {}

    private static final Set<String> RESERVED = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non-sealed", "_");

    /** Returns {@code name} if it is a plain ASCII Java identifier that is not a keyword. */
    public static String requireIdentifier(String name, String what) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(what + " name must not be empty");
        boolean ok = isAsciiLetter(name.charAt(0)) || name.charAt(0) == '_' || name.charAt(0) == '$';
        for (int i = 1; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '$';
        }
        if (!ok || RESERVED.contains(name)) {
            throw new IllegalArgumentException(what + " name '" + name + "' is not a valid Java identifier (ASCII letters, digits, _ and $; no keywords)");
        }
        return name;
    }

    /** A package name: dot-separated identifiers, or empty for the unnamed package. */
    public static String requirePackage(String name) {
        if (name == null) throw new IllegalArgumentException("package name must not be null (use \"\" for the unnamed package)");
        if (name.isEmpty()) return name;
        for (String part : name.split("\\.", -1)) requireIdentifier(part, "package");
        return name;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
