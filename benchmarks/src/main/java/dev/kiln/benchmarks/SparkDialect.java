package dev.kiln.benchmarks;

import java.util.regex.Pattern;

/**
 * The TPC-H texts in Spark SQL's dialect. Two constructs of the standard texts mean something else
 * (or nothing) to Spark: an interval with a leading-field precision ({@code interval '90' day (3)},
 * Q1) does not parse, and a double-quoted name ({@code "value"}, Q11) is a string literal to Spark,
 * so {@code ORDER BY "value"} would sort by a constant. Everything else in the 22 texts
 * (EXTRACT, SUBSTRING ... FROM ... FOR, CTE and derived-table column lists, date ± interval) is
 * accepted by Spark as written.
 */
final class SparkDialect {
    private SparkDialect() {}

    private static final Pattern INTERVAL_PRECISION = Pattern.compile("(interval\\s+'[^']*'\\s+(?:year|month|day|hour|minute|second))\\s*\\(\\s*\\d+\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    static String rewrite(String sql) {
        return quotedNamesToBackquotes(INTERVAL_PRECISION.matcher(sql).replaceAll("$1"));
    }

    /** {@code "name"} outside string literals becomes {@code `name`}; a quote in a string literal stays. */
    static String quotedNamesToBackquotes(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        boolean inString = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') inString = !inString; // '' inside a literal toggles twice: still inside
            if (!inString && c == '`') throw new IllegalArgumentException("a backquote outside string literals has no standard meaning: " + sql);
            sb.append(!inString && c == '"' ? '`' : c);
        }
        return sb.toString();
    }
}
