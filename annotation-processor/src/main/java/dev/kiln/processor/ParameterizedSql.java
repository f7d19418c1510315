package dev.kiln.processor;

import dev.kiln.frontend.SqlText;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A query's text with its {@code :name} parameters found (in code only: not in strings, quoted
 * names or comments), and positions in a text with the parameters replaced mapped back to the
 * original, so that an error in the checked text is reported where the user wrote it.
 */
final class ParameterizedSql {
    /** A parameter occurrence: its name and where {@code :name} starts and ends in the text. */
    record Occurrence(String name, int start, int end) {}

    final String sql;
    final List<Occurrence> occurrences = new ArrayList<>();
    /** The text between the parameters: one more than the occurrences. */
    final List<String> parts = new ArrayList<>();

    ParameterizedSql(String sql) {
        this.sql = sql;
        BitSet code = SqlText.code(sql);
        int last = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) != ':' || !code.get(i) || i + 1 >= sql.length() || !Character.isJavaIdentifierStart(sql.charAt(i + 1))) continue;
            if (i > 0 && sql.charAt(i - 1) == ':') continue;
            int end = i + 1;
            while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) end++;
            occurrences.add(new Occurrence(sql.substring(i + 1, end), i, end));
            parts.add(sql.substring(last, i));
            last = end;
            i = end - 1;
        }
        parts.add(sql.substring(last));
    }

    /** The text with each occurrence replaced by {@code replacement.get(i)} (with a space either side). */
    String replaced(List<String> replacement) {
        StringBuilder sb = new StringBuilder(parts.getFirst());
        for (int i = 0; i < occurrences.size(); i++) sb.append(' ').append(replacement.get(i)).append(' ').append(parts.get(i + 1));
        return sb.toString();
    }

    /** A 1-based line and column of {@link #replaced} as a line and column of the original text. */
    int[] original(List<String> replacement, int line, int column) {
        String text = replaced(replacement);
        int offset = offset(text, line, column);
        // walk the pieces of the replaced text alongside the original
        int replacedAt = parts.getFirst().length();
        int originalAt = parts.getFirst().length();
        int mapped = offset;
        if (offset >= replacedAt) {
            mapped = -1;
            for (int i = 0; i < occurrences.size() && mapped < 0; i++) {
                int literalEnd = replacedAt + 2 + replacement.get(i).length();
                if (offset < literalEnd) mapped = occurrences.get(i).start();
                replacedAt = literalEnd;
                originalAt = occurrences.get(i).end();
                int partEnd = replacedAt + parts.get(i + 1).length();
                if (mapped < 0 && offset < partEnd) mapped = originalAt + (offset - replacedAt);
                replacedAt = partEnd;
                originalAt += parts.get(i + 1).length();
            }
            if (mapped < 0) mapped = sql.length();
        }
        return lineColumn(sql, mapped);
    }

    private static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line && at < text.length(); l++) {
            int nl = text.indexOf('\n', at);
            if (nl < 0) return text.length();
            at = nl + 1;
        }
        return Math.min(text.length(), at + Math.max(0, column - 1));
    }

    private static int[] lineColumn(String text, int offset) {
        int line = 1;
        int start = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                start = i + 1;
            }
        }
        return new int[] {line, offset - start + 1};
    }
}
