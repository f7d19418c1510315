package dev.kiln.ir.eval;

import java.util.Locale;

/**
 * VARCHAR functions. Positions and lengths count Unicode code points (not UTF-16 chars, not bytes).
 * Case mapping is Java's locale-independent full mapping ({@code "ß".toUpperCase()} is "SS").
 */
public final class StringFunctions {
    private StringFunctions() {}

    /**
     * SQL SUBSTRING(s FROM start [FOR length]), positions from 1: the characters at positions in
     * [start, start + length) that exist, so a start ≤ 0 eats into the length
     * (SUBSTRING('hello', 0, 3) = 'he', as PostgreSQL). A negative length is an error.
     */
    public static String substring(String s, long start, Long length) {
        if (length != null && length < 0) throw EvalErrors.negativeSubstringLength(length);
        long end = length == null ? Long.MAX_VALUE : saturatingAdd(start, length); // exclusive, 1-based
        long from = Math.max(start, 1);
        int n = s.codePointCount(0, s.length());
        if (end <= from || from > n) return "";
        long to = Math.min(end, (long) n + 1);
        int b = s.offsetByCodePoints(0, (int) (from - 1));
        int e = s.offsetByCodePoints(b, (int) (to - from));
        return s.substring(b, e);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    public static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Removes spaces (U+0020 only, as SQL TRIM without a character list) from both ends. */
    public static String trim(String s) {
        int i = 0;
        int j = s.length();
        while (i < j && s.charAt(i) == ' ') i++;
        while (j > i && s.charAt(j - 1) == ' ') j--;
        return s.substring(i, j);
    }

    public static long charLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /** SQL LIKE; see {@link LikePattern}. */
    public static boolean like(String s, String pattern, String escape) {
        return LikePattern.compile(pattern, escape).matches(s);
    }
}
