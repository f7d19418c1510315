package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ANALYZE [table]}: recomputes the statistics of one table, or of every table. Recognized
 * by the engine before the SQL frontend (Calcite has no such statement).
 */
final class Analyze {
    private Analyze() {}

    private static final Pattern STATEMENT = Pattern.compile("\\s*analyze(?:\\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*))?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEYWORD = Pattern.compile("\\s*analyze\\b.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The tables an ANALYZE statement names (all when it names none), or empty if {@code sql} is not ANALYZE. */
    static Optional<List<String>> parse(String sql, List<String> tables) {
        Matcher m = STATEMENT.matcher(sql);
        if (!m.matches()) {
            if (KEYWORD.matcher(sql).matches()) {
                throw new KilnException("malformed ANALYZE statement: '" + sql.strip() + "'; write ANALYZE to analyze every table or ANALYZE name for one");
            }
            return Optional.empty();
        }
        if (m.group(1) == null) return Optional.of(List.copyOf(tables));
        String name = m.group(1).startsWith("\"") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1).toLowerCase(Locale.ROOT);
        if (!tables.contains(name.toLowerCase(Locale.ROOT))) {
            throw new KilnException("ANALYZE " + name + ": no such table" + (tables.isEmpty() ? "" : "; tables: " + String.join(", ", tables)));
        }
        return Optional.of(List.of(name.toLowerCase(Locale.ROOT)));
    }
}
