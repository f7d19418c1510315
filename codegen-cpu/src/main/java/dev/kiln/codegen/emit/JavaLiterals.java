package dev.kiln.codegen.emit;

/**
 * Java source spellings of constants and comment text. Every value round-trips exactly through
 * javac and Janino, and nothing a string or comment contains can end the literal or comment
 * early: Java translates {@code \}{@code uXXXX} escapes before it tokenises, so control
 * characters are written as octal escapes, never as unicode escapes.
 */
public final class JavaLiterals {
    private JavaLiterals() {}

    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // Three octal digits, so a following digit cannot extend the escape.
                        sb.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7))).append((char) ('0' + (c & 7)));
                    } else if (c > 0x7f) {
                        // A unicode escape of a non-ASCII char cannot produce a quote, backslash or line end.
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    public static String intLiteral(int v) {
        if (v == Integer.MIN_VALUE) return "java.lang.Integer.MIN_VALUE";
        return v < 0 ? "(" + v + ")" : Integer.toString(v);
    }

    public static String longLiteral(long v) {
        if (v == Long.MIN_VALUE) return "java.lang.Long.MIN_VALUE";
        return v < 0 ? "(" + v + "L)" : v + "L";
    }

    public static String doubleLiteral(double v) {
        if (Double.isNaN(v)) return "java.lang.Double.NaN";
        if (v == Double.POSITIVE_INFINITY) return "java.lang.Double.POSITIVE_INFINITY";
        if (v == Double.NEGATIVE_INFINITY) return "java.lang.Double.NEGATIVE_INFINITY";
        // Double.toString is the shortest decimal that parses back to the same double; the
        // sign test on the raw bits keeps -0.0.
        if (Double.doubleToRawLongBits(v) < 0) return "(-" + Double.toString(-v) + ")";
        return Double.toString(v);
    }

    /** Text safe to put after {@code //}: one line, no backslashes (unicode escapes) and no {@code * /}. */
    public static String commentText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') sb.append("U+005C");
            else if (c < 0x20 || c == 0x7f) sb.append(' ');
            else if (c > 0x7f) sb.append(String.format("U+%04X", (int) c));
            else if (c == '/' && i > 0 && text.charAt(i - 1) == '*') sb.append(" /");
            else sb.append(c);
        }
        return sb.toString();
    }
}
