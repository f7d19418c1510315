package dev.kiln.codegen.emit;

import dev.kiln.ir.KilnException;

/**
 * A generated class failed to emit, compile, define or verify. This is a compiler bug or a
 * limit hit, never something to fall back from silently: the message says what failed, and
 * {@link #source()} holds the full Java source of the class so it can be read and reproduced.
 */
public class CodegenException extends KilnException {
    private final String source;

    public CodegenException(String message, String source, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    public CodegenException(String message, String source) {
        this(message, source, null);
    }

    /** The Java source of the class that failed (printed from the same code tree). */
    public String source() {
        return source;
    }

    /** The first {@code n} lines of a possibly long error text, for messages. */
    static String firstLines(String text, int n) {
        if (text == null) return "(no message)";
        String[] lines = text.split("\\R", n + 1);
        return lines.length <= n ? text : String.join("\n", java.util.Arrays.copyOf(lines, n)) + "\n...";
    }
}
