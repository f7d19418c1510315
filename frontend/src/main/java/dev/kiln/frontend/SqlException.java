package dev.kiln.frontend;

import dev.kiln.ir.KilnException;

/**
 * An error in SQL text, located at a line and column (1-based). The message shows the offending
 * line with a caret under the position.
 */
public final class SqlException extends KilnException {
    private final int line;
    private final int column;
    private final String what;

    public SqlException(String what, int line, int column, String sql) {
        super(format(what, line, column, sql));
        this.what = what;
        this.line = line;
        this.column = column;
    }

    /** What is wrong, without the position. */
    public String what() {
        return what;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    static String format(String what, int line, int column, String sql) {
        if (line <= 0) return what;
        String[] lines = sql.split("\r?\n", -1);
        if (line > lines.length) return what + " at line " + line + ", column " + column;
        String text = lines[line - 1].replace('\t', ' ');
        int col = Math.max(1, Math.min(column, text.length() + 1));
        return what + " at line " + line + ", column " + column + "\n" + text + "\n" + " ".repeat(col - 1) + "^";
    }
}
