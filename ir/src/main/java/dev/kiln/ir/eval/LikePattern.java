package dev.kiln.ir.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled LIKE pattern: {@code %} matches any run of characters (also none), {@code _} exactly
 * one character (code point), anything else itself, case-sensitively. With an ESCAPE character
 * (exactly one code point), the escape makes the character after it literal — also a plain one,
 * as DuckDB; a pattern ending in the escape is an error. The whole string must match.
 */
public final class LikePattern {
    /** Code point to match, or {@link #ONE} / {@link #ANY}. */
    private final int[] tokens;

    private static final int ONE = -1;
    private static final int ANY = -2;

    private LikePattern(int[] tokens) {
        this.tokens = tokens;
    }

    /** @param escape the ESCAPE text, or null for none */
    public static LikePattern compile(String pattern, String escape) {
        int esc = -1;
        if (escape != null) {
            if (escape.codePointCount(0, escape.length()) != 1) throw EvalErrors.badLikeEscape(pattern, escape);
            esc = escape.codePointAt(0);
        }
        List<Integer> out = new ArrayList<>();
        int[] cps = pattern.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp == esc) {
                if (i + 1 == cps.length) throw EvalErrors.badLikeEscape(pattern, escape);
                out.add(cps[++i]);
            } else if (cp == '%') {
                if (out.isEmpty() || out.getLast() != ANY) out.add(ANY); // %% is %
            } else if (cp == '_') {
                out.add(ONE);
            } else {
                out.add(cp);
            }
        }
        return new LikePattern(out.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Greedy matching with backtracking to the last {@code %} only: a later % can absorb whatever
     * an earlier one would have, so earlier choices never need revisiting (O(n·m) worst case).
     */
    public boolean matches(String s) {
        int[] str = s.codePoints().toArray();
        int si = 0;
        int pi = 0;
        int starP = -1;
        int starS = 0;
        while (si < str.length) {
            if (pi < tokens.length && tokens[pi] != ANY && (tokens[pi] == ONE || tokens[pi] == str[si])) {
                si++;
                pi++;
            } else if (pi < tokens.length && tokens[pi] == ANY) {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < tokens.length && tokens[pi] == ANY) pi++;
        return pi == tokens.length;
    }
}
