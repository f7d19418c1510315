package dev.kiln.engine.cli;

import dev.kiln.engine.Json;
import dev.kiln.engine.QueryResult;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** Writes results as an aligned table, RFC 4180 CSV (with a header row) or JSON lines. */
final class ResultFormatter {
    enum Format { TABLE, CSV, JSON }

    private ResultFormatter() {}

    static void write(QueryResult r, Format format, PrintStream out) {
        switch (format) {
            case TABLE -> table(r, out);
            case CSV -> csv(r, out);
            case JSON -> json(r, out);
        }
    }

    static String text(Object v) {
        return switch (v) {
            case null -> "NULL";
            case BigDecimal d -> d.toPlainString();
            case LocalDateTime t -> t.toString().replace('T', ' ');
            default -> v.toString();
        };
    }

    private static void table(QueryResult r, PrintStream out) {
        List<String> names = r.columnNames();
        List<Object[]> rows = r.rows();
        int n = names.size();
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = names.get(c).length();
            right[c] = r.schema().field(c).type().isNumeric();
        }
        List<String[]> cells = new ArrayList<>();
        for (Object[] row : rows) {
            String[] s = new String[n];
            for (int c = 0; c < n; c++) {
                s[c] = text(row[c]);
                width[c] = Math.max(width[c], s[c].length());
            }
            cells.add(s);
        }
        StringBuilder sb = new StringBuilder();
        line(sb, names.toArray(new String[0]), width, new boolean[n]);
        for (int c = 0; c < n; c++) {
            sb.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (String[] s : cells) line(sb, s, width, right);
        sb.append('(').append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n');
        out.print(sb);
    }

    private static void line(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) sb.append(" | ");
            String pad = " ".repeat(width[c] - cells[c].length());
            sb.append(right[c] ? pad + cells[c] : cells[c] + (c == cells.length - 1 ? "" : pad));
        }
        sb.append('\n');
    }

    private static void csv(QueryResult r, PrintStream out) {
        StringBuilder sb = new StringBuilder();
        List<String> names = r.columnNames();
        for (int c = 0; c < names.size(); c++) sb.append(c == 0 ? "" : ",").append(csvField(names.get(c)));
        sb.append("\r\n");
        for (Object[] row : r.rows()) {
            for (int c = 0; c < row.length; c++) sb.append(c == 0 ? "" : ",").append(row[c] == null ? "" : csvField(text(row[c])));
            sb.append("\r\n");
        }
        out.print(sb);
    }

    static String csvField(String s) {
        if (s.isEmpty() || s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static void json(QueryResult r, PrintStream out) {
        StringBuilder sb = new StringBuilder();
        List<String> names = r.columnNames();
        for (Object[] row : r.rows()) {
            sb.append('{');
            for (int c = 0; c < row.length; c++) {
                if (c > 0) sb.append(',');
                sb.append(Json.string(names.get(c))).append(':');
                jsonValue(sb, row[c]);
            }
            sb.append("}\n");
        }
        out.print(sb);
    }

    /** A value as JSON: numbers as numbers (DECIMALs exact), a STRUCT as an object of its fields, anything else as its text. */
    private static void jsonValue(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case BigDecimal d -> sb.append(d.toPlainString());
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? Json.string(d.toString()) : d.toString());
            case dev.kiln.runtime.vector.StructValue s -> {
                sb.append('{');
                for (int i = 0; i < s.names().size(); i++) {
                    if (i > 0) sb.append(',');
                    sb.append(Json.string(s.names().get(i))).append(':');
                    jsonValue(sb, s.values().get(i));
                }
                sb.append('}');
            }
            default -> sb.append(Json.string(text(v)));
        }
    }

}
