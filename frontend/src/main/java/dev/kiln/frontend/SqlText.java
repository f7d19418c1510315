package dev.kiln.frontend;

import java.util.BitSet;

/**
 * Where SQL text is code: every character outside string literals ({@code '...'} with
 * {@code ''} inside), quoted identifiers ({@code "..."} with {@code ""}) and comments ({@code --}
 * to the end of the line, {@code /* ... *}{@code /}). The CLI splits scripts at the semicolons in
 * code; the JDBC driver finds its {@code ?} parameter markers there, the annotation processor its {@code :name} parameters.
 */
public final class SqlText {
    private SqlText() {}

    /** The positions of {@code sql} that are code. An unterminated quote or comment runs to the end. */
    public static BitSet code(String sql) {
        BitSet code = new BitSet(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        end++;
                        break;
                    }
                    end++;
                }
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
            } else {
                code.set(i);
                end = i + 1;
            }
            i = end;
        }
        return code;
    }

    /**
     * The text from its first code character that is not whitespace: the comments (and blank
     * lines) a script puts before a statement dropped, so that what the statement is can be told
     * from its first word. Empty when there is no code.
     */
    public static String fromFirstCode(String sql) {
        BitSet code = code(sql);
        for (int i = code.nextSetBit(0); i >= 0; i = code.nextSetBit(i + 1)) {
            if (!Character.isWhitespace(sql.charAt(i))) return sql.substring(i);
        }
        return "";
    }
}
