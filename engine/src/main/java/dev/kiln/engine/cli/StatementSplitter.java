package dev.kiln.engine.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits SQL text at semicolons that are outside quotes and comments. */
final class StatementSplitter {
    private StatementSplitter() {}

    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                cur.append(sql, i, Math.min(end + 1, sql.length()));
                i = end + 1;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                cur.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                cur.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(out, cur);
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        add(out, cur);
        return out;
    }

    /** Keeps a statement unless it holds nothing but whitespace and comments. */
    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString();
        String stripped = s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").strip();
        if (!stripped.isEmpty()) out.add(s.strip());
        cur.setLength(0);
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
