package dev.kiln.runtime.fn;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled SQL LIKE pattern, matched on UTF-8 bytes without decoding or allocating.
 *
 * <p>Patterns made of literal text and {@code %} only (the common case: exact, prefix%, %suffix,
 * %infix%, prefix%suffix, a%b%c) compare pieces of bytes: an anchored first and last piece, then
 * leftmost search for the middle ones, which is exact because a complete UTF-8 sequence never
 * matches inside another character. Patterns with {@code _} run the iterative wildcard matcher
 * that backtracks only to the last {@code %}: O(pattern × text) at worst, never exponential;
 * {@code _} consumes one code point (one UTF-8 sequence).
 */
public final class LikePattern {
    private static final byte LITERAL = 0;
    private static final byte ANY_ONE = 1;
    private static final byte ANY_RUN = 2;

    private final String pattern;
    /** literal pieces between % signs, as UTF-8 (no-underscore patterns) */
    private final byte[][] pieces;
    private final boolean leadingPercent;
    private final boolean trailingPercent;
    /** token kinds and literal bytes, when the pattern uses '_'; null otherwise */
    private final byte[] kinds;
    private final byte[][] literals;

    private LikePattern(String pattern, byte[][] pieces, boolean leading, boolean trailing, byte[] kinds, byte[][] literals) {
        this.pattern = pattern;
        this.pieces = pieces;
        this.leadingPercent = leading;
        this.trailingPercent = trailing;
        this.kinds = kinds;
        this.literals = literals;
    }

    /** @param escape the escape character, or 0 for none */
    public static LikePattern compile(String pattern, char escape) {
        // tokens: a code point, or -1 for '_' and -2 for '%'
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
                if (tokens.isEmpty() || tokens.getLast() != -2) tokens.add(-2); // %% = %
            } else if (cp == '_') {
                tokens.add(-1);
                underscore = true;
            } else {
                tokens.add(cp);
            }
        }
        return underscore ? wildcard(pattern, tokens) : pieces(pattern, tokens);
    }

    private static LikePattern pieces(String pattern, List<Integer> tokens) {
        List<byte[]> pieces = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int t : tokens) {
            if (t == -2) {
                if (!cur.isEmpty()) pieces.add(utf8(cur));
                cur.setLength(0);
            } else {
                cur.appendCodePoint(t);
            }
        }
        if (!cur.isEmpty()) pieces.add(utf8(cur));
        boolean leading = !tokens.isEmpty() && tokens.getFirst() == -2;
        boolean trailing = !tokens.isEmpty() && tokens.getLast() == -2;
        return new LikePattern(pattern, pieces.toArray(new byte[0][]), leading, trailing, null, null);
    }

    private static LikePattern wildcard(String pattern, List<Integer> tokens) {
        List<Byte> kinds = new ArrayList<>();
        List<byte[]> literals = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int t : tokens) {
            if (t >= 0) {
                cur.appendCodePoint(t);
                continue;
            }
            if (!cur.isEmpty()) {
                kinds.add(LITERAL);
                literals.add(utf8(cur));
                cur.setLength(0);
            }
            kinds.add(t == -1 ? ANY_ONE : ANY_RUN);
            literals.add(null);
        }
        if (!cur.isEmpty()) {
            kinds.add(LITERAL);
            literals.add(utf8(cur));
        }
        byte[] k = new byte[kinds.size()];
        for (int i = 0; i < k.length; i++) k[i] = kinds.get(i);
        return new LikePattern(pattern, new byte[0][], false, false, k, literals.toArray(new byte[0][]));
    }

    private static byte[] utf8(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(MemorySegment seg, long off, int len) {
        if (kinds != null) return matchWild(seg, off, off + len);
        long start = off;
        long end = off + len;
        int n = pieces.length;
        if (n == 0) return leadingPercent || len == 0;
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

    private static boolean regionEquals(MemorySegment seg, long from, long end, byte[] p) {
        if (end - from < p.length) return false;
        for (int i = 0; i < p.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, from + i) != p[i]) return false;
        }
        return true;
    }

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    /**
     * Leftmost occurrence of {@code p} in [from, end): candidates for the first byte are found
     * eight bytes at a time (the classic has-zero-byte test on the word XOR the repeated byte,
     * which flags every occurrence, sometimes a few extra, all verified), then compared in full.
     */
    private static long indexOf(MemorySegment seg, long from, long end, byte[] p) {
        long last = end - p.length;
        long i = from;
        long repeated = (p[0] & 0xFFL) * ONES;
        for (; i + 8 <= end && i <= last; i += 8) {
            long x = seg.get(WORD, i) ^ repeated;
            long hits = (x - ONES) & ~x & HIGHS;
            while (hits != 0) {
                long at = i + (Long.numberOfTrailingZeros(hits) >>> 3);
                if (at > last) return -1;
                if (regionEquals(seg, at, end, p)) return at;
                hits &= hits - 1;
            }
        }
        for (; i <= last; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) == p[0] && regionEquals(seg, i, end, p)) return i;
        }
        return -1;
    }

    private static long nextCodePoint(MemorySegment seg, long p, long end) {
        return Math.min(end, p + Strings.sequenceLength(seg.get(ValueLayout.JAVA_BYTE, p)));
    }

    private boolean matchWild(MemorySegment seg, long si, long end) {
        int n = kinds.length;
        int pi = 0;
        int star = -1;
        long mark = 0;
        while (si < end) {
            if (pi < n && kinds[pi] == ANY_ONE) {
                si = nextCodePoint(seg, si, end);
                pi++;
            } else if (pi < n && kinds[pi] == LITERAL && regionEquals(seg, si, end, literals[pi])) {
                si += literals[pi].length;
                pi++;
            } else if (pi < n && kinds[pi] == ANY_RUN) {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                mark = nextCodePoint(seg, mark, end);
                si = mark;
            } else {
                return false;
            }
        }
        while (pi < n && kinds[pi] == ANY_RUN) pi++;
        return pi == n;
    }
}
