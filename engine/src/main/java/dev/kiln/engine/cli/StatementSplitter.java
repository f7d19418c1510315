package dev.kiln.engine.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits SQL text at semicolons that are outside quotes and comments. */
final class StatementSplitter {
    private StatementSplitter() {}

    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        java.util.BitSet code = dev.kiln.frontend.SqlText.code(sql);
        int from = 0;
        for (int i = code.nextSetBit(0); i >= 0; i = code.nextSetBit(i + 1)) {
            if (sql.charAt(i) != ';') continue;
            add(out, sql.substring(from, i));
            from = i + 1;
        }
        add(out, sql.substring(from));
        return out;
    }

    /** Keeps a statement unless it holds nothing but whitespace and comments. */
    private static void add(List<String> out, String s) {
        String stripped = s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").strip();
        if (!stripped.isEmpty()) out.add(s.strip());
    }

    /** Is the text a complete statement (ends with a semicolon outside quotes and comments)? */
    static boolean complete(String sql) {
        String s = sql.strip();
        if (!s.endsWith(";")) return false;
        List<String> parts = split(s + "\n");
        String rebuilt = String.join(";", parts);
        return !rebuilt.isEmpty() && s.length() > 0 && !insideQuote(s);
    }

    private static boolean insideQuote(String s) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
        }
        return single || dbl;
    }
}
