package dev.kiln.runtime.fn;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled SQL LIKE pattern. Patterns made of literal text and {@code %} only (the common
 * case: exact, prefix%, %suffix, %infix%, a%b%c) match on UTF-8 bytes without decoding, which is
 * exact because a complete UTF-8 sequence never matches inside another character. Patterns with
 * {@code _} decode to code points and run a linear-time wildcard matcher.
 */
public final class LikePattern {
    private final String pattern;
    /** literal pieces between % signs, as UTF-8 */
    private final byte[][] pieces;
    private final boolean leadingPercent;
    private final boolean trailingPercent;
    /** code points with -1 = '_' and -2 = '%', when the pattern uses '_' */
    private final int[] wild;

    private LikePattern(String pattern, byte[][] pieces, boolean leading, boolean trailing, int[] wild) {
        this.pattern = pattern;
        this.pieces = pieces;
        this.leadingPercent = leading;
        this.trailingPercent = trailing;
        this.wild = wild;
    }

    /** @param escape the escape character, or 0 for none */
    public static LikePattern compile(String pattern, char escape) {
        List<Integer> tokens = new ArrayList<>();
        boolean underscore = false;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (escape != 0 && cp == escape) {
                if (i >= pattern.length()) {
                    throw new KilnException("LIKE pattern '" + pattern + "' ends with the escape character '" + escape + "': escape a '%', '_' or the escape itself");
                }
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                if (next != '%' && next != '_' && next != escape) {
                    throw new KilnException("LIKE pattern '" + pattern + "': the escape character '" + escape + "' must be followed by '%', '_' or itself");
                }
                tokens.add(next);
            } else if (cp == '%') {
                tokens.add(-2);
            } else if (cp == '_') {
                tokens.add(-1);
                underscore = true;
            } else {
                tokens.add(cp);
            }
        }
        int[] wild = tokens.stream().mapToInt(Integer::intValue).toArray();
        if (underscore) return new LikePattern(pattern, new byte[0][], false, false, wild);
        List<byte[]> pieces = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean leading = wild.length > 0 && wild[0] == -2;
        boolean trailing = wild.length > 0 && wild[wild.length - 1] == -2;
        for (int t : wild) {
            if (t == -2) {
                if (!cur.isEmpty()) pieces.add(cur.toString().getBytes(StandardCharsets.UTF_8));
                cur.setLength(0);
            } else {
                cur.appendCodePoint(t);
            }
        }
        if (!cur.isEmpty()) pieces.add(cur.toString().getBytes(StandardCharsets.UTF_8));
        boolean anyPercent = leading || trailing || pieces.size() > 1 || (pieces.isEmpty() && wild.length > 0);
        if (!anyPercent && pieces.size() <= 1) {
            // exact match: no wildcard at all
            return new LikePattern(pattern, pieces.toArray(new byte[0][]), false, false, null);
        }
        return new LikePattern(pattern, pieces.toArray(new byte[0][]), leading, trailing, null);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(MemorySegment seg, long off, int len) {
        if (wild != null && pieces.length == 0 && hasUnderscore()) return matchWild(seg, off, len);
        long start = off;
        long end = off + len;
        int n = pieces.length;
        if (n == 0) return leadingPercent || trailingPercent || len == 0;
        // first piece anchored at the start unless the pattern starts with %
        int first = 0;
        if (!leadingPercent) {
            if (!regionEquals(seg, start, end, pieces[0])) return false;
            start += pieces[0].length;
            first = 1;
            if (n == 1 && !trailingPercent) return start == end;
        }
        int last = n - 1;
        if (!trailingPercent && last >= first) {
            byte[] p = pieces[last];
            if (end - start < p.length || !regionEquals(seg, end - p.length, end, p)) return false;
            end -= p.length;
            last--;
        }
        for (int i = first; i <= last; i++) {
            long at = indexOf(seg, start, end, pieces[i]);
            if (at < 0) return false;
            start = at + pieces[i].length;
        }
        return true;
    }

    private boolean hasUnderscore() {
        for (int t : wild) if (t == -1) return true;
        return false;
    }

    private static boolean regionEquals(MemorySegment seg, long from, long end, byte[] p) {
        if (end - from < p.length) return false;
        for (int i = 0; i < p.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, from + i) != p[i]) return false;
        }
        return true;
    }

    private static long indexOf(MemorySegment seg, long from, long end, byte[] p) {
        if (p.length == 0) return from;
        byte b0 = p[0];
        for (long i = from; i + p.length <= end; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) == b0 && regionEquals(seg, i, end, p)) return i;
        }
        return -1;
    }

    /** Iterative wildcard match with single-star backtracking: linear in practice, never exponential. */
    private boolean matchWild(MemorySegment seg, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, len);
        int[] s = new String(b, StandardCharsets.UTF_8).codePoints().toArray();
        int si = 0, pi = 0, star = -1, mark = 0;
        while (si < s.length) {
            if (pi < wild.length && (wild[pi] == -1 || wild[pi] == s[si])) {
                si++;
                pi++;
            } else if (pi < wild.length && wild[pi] == -2) {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < wild.length && wild[pi] == -2) pi++;
        return pi == wild.length;
    }
}
