package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/** Turns Calcite's exceptions into short messages with a position, a caret and suggestions. */
final class SqlErrors {
    private SqlErrors() {}

    private static final Pattern COLUMN = Pattern.compile("Column '([^']+)' not found in (?:any table|table '([^']+)')");
    private static final Pattern TABLE = Pattern.compile("Object '([^']+)' not found");

    static SqlException parse(SqlParseException e, String sql) {
        String msg = e.getMessage();
        int cut = msg.indexOf("Was expecting");
        String head = (cut > 0 ? msg.substring(0, cut) : msg).replaceAll("\\s+at line \\d+, column \\d+\\.?", "").strip();
        if (head.endsWith(".")) head = head.substring(0, head.length() - 1);
        if (cut > 0) {
            List<String> expected = new ArrayList<>();
            for (String line : msg.substring(cut).split("\n")) {
                String t = line.strip();
                if (t.startsWith("\"") && expected.size() < 6) expected.add(t.replace(" ...", ""));
            }
            if (!expected.isEmpty()) head += " (expected one of " + String.join(", ", expected) + (expected.size() == 6 ? ", ..." : "") + ")";
        }
        int line = e.getPos() == null ? 0 : e.getPos().getLineNum();
        int col = e.getPos() == null ? 0 : e.getPos().getColumnNum();
        return new SqlException("Syntax error: " + head, line, col, sql);
    }

    static KilnException validation(Exception e, String sql, Catalog catalog) {
        CalciteContextException ctx = find(e);
        if (ctx == null) return new KilnException("invalid query: " + e.getMessage(), e);
        String what = ctx.getCause() != null ? ctx.getCause().getMessage() : ctx.getMessage();
        // Calcite lists supported signatures one per line; keep the message on one line above the caret
        what = suggest(what.replaceAll("\\s*\\n\\s*", "; "), catalog, sql);
        return new SqlException(what, ctx.getPosLine(), ctx.getPosColumn(), sql);
    }

    private static CalciteContextException find(Throwable t) {
        while (t != null) {
            if (t instanceof CalciteContextException c) return c;
            t = t.getCause();
        }
        return null;
    }

    /**
     * Adds "Did you mean ...?" for unknown columns and tables; for a column with no close match,
     * lists the columns of the tables the query names.
     */
    static String suggest(String what, Catalog catalog, String sql) {
        Matcher c = COLUMN.matcher(what);
        if (c.find()) {
            String name = c.group(1);
            List<String> candidates = new ArrayList<>();
            if (c.group(2) != null) {
                catalog.table(c.group(2)).ifPresent(t -> t.schema().fields().forEach(f -> candidates.add(f.name())));
            }
            if (candidates.isEmpty()) {
                for (String t : tablesNamedIn(sql, catalog)) catalog.table(t).ifPresent(ref -> ref.schema().fields().forEach(f -> candidates.add(f.name())));
            }
            String hint = closest(name, candidates);
            String head = what.endsWith(".") ? what : what + ".";
            if (!hint.isEmpty()) return head + hint;
            if (candidates.isEmpty()) return what;
            List<String> some = candidates.stream().distinct().limit(12).toList();
            return head + " Available columns: " + String.join(", ", some) + (candidates.stream().distinct().count() > some.size() ? ", ..." : "");
        }
        Matcher t = TABLE.matcher(what);
        if (t.find()) {
            List<String> names = new ArrayList<>(catalog.tableNames());
            names.addAll(catalog.viewNames());
            String available = names.isEmpty() ? " (no tables are registered: use --tpch SF or --table name=file.csv)"
                    : closest(t.group(1), names) + " Available tables: " + String.join(", ", names.stream().sorted().limit(12).toList());
            return "Table '" + t.group(1) + "' not found." + available;
        }
        return what;
    }

    /** Catalog tables whose name occurs as a word in the SQL text; all of them if none does. */
    private static List<String> tablesNamedIn(String sql, Catalog catalog) {
        String lower = sql.toLowerCase(Locale.ROOT);
        List<String> named = catalog.tableNames().stream()
                .filter(t -> Pattern.compile("\\b" + Pattern.quote(t.toLowerCase(Locale.ROOT)) + "\\b").matcher(lower).find())
                .toList();
        return named.isEmpty() ? catalog.tableNames() : named;
    }

    static String closest(String name, List<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .distinct()
                .min(Comparator.comparingInt(s -> distance(lower, s.toLowerCase(Locale.ROOT))))
                .filter(s -> distance(lower, s.toLowerCase(Locale.ROOT)) <= Math.max(2, lower.length() / 3))
                .map(s -> " Did you mean '" + s + "'?")
                .orElse("");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
