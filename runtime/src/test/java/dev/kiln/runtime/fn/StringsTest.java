package dev.kiln.runtime.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** String views on UTF-8 against Java strings compared by code point. */
class StringsTest {
    /** Characters of 1, 2, 3 and 4 UTF-8 bytes, including U+FFFF-ish BMP ones that UTF-16 orders differently. */
    static final String[] ALPHABET = {"a", "b", "z", "é", "ß", "日", "ｱ", "\uFFFD", "😀", "𝄞", " "};

    static String random(Random r, int maxLen) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(maxLen + 1); i > 0; i--) sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        return sb.toString();
    }

    static int codePointCompare(String x, String y) {
        int c = java.util.Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray());
        return Integer.signum(c);
    }

    /** The string's bytes placed at a random offset inside a larger native segment. */
    record View(MemorySegment seg, long off, int len) {}

    static View place(String s, Random r, java.lang.foreign.Arena arena) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int pad = r.nextInt(9);
        MemorySegment seg = arena.allocate(b.length + pad * 2L + 1);
        seg.fill((byte) 'x');
        MemorySegment.copy(b, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, pad, b.length);
        return new View(seg, pad, b.length);
    }

    static String sqlSubstring(String s, long start, long count) {
        int[] cps = s.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        for (long pos = 1; pos <= cps.length; pos++) {
            if (pos >= start && (count < 0 || pos < start + count)) sb.appendCodePoint(cps[(int) pos - 1]);
        }
        return sb.toString();
    }

    @Property(tries = 3000)
    void compareEqualsLengthAndSubstring(@ForAll long seed) {
        Random r = new Random(seed);
        String x = random(r, 12);
        String y = r.nextInt(4) == 0 ? x : r.nextBoolean() ? x + random(r, 2) : random(r, 12);
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            View a = place(x, r, arena);
            View b = place(y, r, arena);
            int want = codePointCompare(x, y);
            assertEquals(want, Integer.signum(Strings.compare(a.seg, a.off, a.len, b.seg, b.off, b.len)), x + " vs " + y);
            assertEquals(want == 0, Strings.equals(a.seg, a.off, a.len, b.seg, b.off, b.len));
            byte[] yb = y.getBytes(StandardCharsets.UTF_8);
            assertEquals(want, Integer.signum(Strings.compareConst(a.seg, a.off, a.len, yb)));
            assertEquals(want == 0, Strings.equalsConst(a.seg, a.off, a.len, yb));
            assertEquals(x, Strings.toJavaString(a.seg, a.off, a.len));
            assertEquals(x.codePointCount(0, x.length()), Strings.charLength(a.seg, a.off, a.len));
            long start = r.nextInt(20) - 5;
            long count = r.nextInt(20);
            long s = Strings.substringStart(a.seg, a.off, a.len, start);
            assertEquals(sqlSubstring(x, start, -1), Strings.toJavaString(a.seg, s, Strings.substringLength(a.seg, a.off, a.len, start)));
            int len = Strings.substringLength(a.seg, a.off, a.len, start, count);
            assertEquals(sqlSubstring(x, start, count), Strings.toJavaString(a.seg, s, len), "SUBSTRING('" + x + "', " + start + ", " + count + ")");
        }
    }

    @Test
    void substringRules() {
        MemorySegment s = MemorySegment.ofArray("héllo".getBytes(StandardCharsets.UTF_8));
        int n = (int) s.byteSize();
        assertEquals("h", Strings.toJavaString(s, Strings.substringStart(s, 0, n, 0), Strings.substringLength(s, 0, n, 0, 2)));
        assertEquals("él", Strings.toJavaString(s, Strings.substringStart(s, 0, n, 2), Strings.substringLength(s, 0, n, 2, 2)));
        assertEquals(0, Strings.substringLength(s, 0, n, -5, 3));
        assertEquals(0, Strings.substringLength(s, 0, n, 9, 3));
        assertEquals(n - 1, Strings.substringLength(s, 0, n, 2, Long.MAX_VALUE));
        assertEquals("negative substring length -1 is not allowed",
                assertThrows(KilnException.class, () -> Strings.substringLength(s, 0, n, 1, -1)).getMessage());
    }

    @Test
    void hashesAgreeOnEqualValuesAndSpreadTheirHighBits() {
        assertEquals(Hashing.hashDouble(0.0), Hashing.hashDouble(-0.0));
        assertEquals(Hashing.hashDouble(Double.NaN), Hashing.hashDouble(Double.longBitsToDouble(0x7ff8000000000123L)));
        assertNotEquals(Hashing.hashDouble(1.0), Hashing.hashDouble(2.0));
        assertEquals(Hashing.hashInt(-5), Hashing.hashLong(-5));
        assertNotEquals(0, Hashing.hashLong(0));
        byte[] text = "xxabcdefghijklmnopqrstuvwxyzxx".getBytes(StandardCharsets.UTF_8);
        byte[] same = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
        assertEquals(Hashing.hashBytes(MemorySegment.ofArray(same), 0, 26), Hashing.hashBytes(MemorySegment.ofArray(text), 2, 26));
        assertNotEquals(Hashing.hashBytes(MemorySegment.ofArray(same), 0, 25), Hashing.hashBytes(MemorySegment.ofArray(same), 0, 26));
        assertNotEquals(Hashing.hashBytes(MemorySegment.ofArray(same), 0, 0), Hashing.hashBytes(MemorySegment.ofArray(new byte[1]), 0, 1));
        // sequential keys, and keys differing only in high bits, must spread over the top 10 bits (bucket index)
        for (long stride : new long[] {1, 1L << 32, 1000}) {
            int[] buckets = new int[1024];
            int n = 1 << 20;
            for (long k = 0; k < n; k++) buckets[(int) (Hashing.hashLong(k * stride) >>> 54)]++;
            int max = java.util.Arrays.stream(buckets).max().orElseThrow();
            int min = java.util.Arrays.stream(buckets).min().orElseThrow();
            assertEquals(true, max < 1024 * 1.2 && min > 1024 * 0.8, "stride " + stride + ": buckets between " + min + " and " + max);
        }
        int[] buckets = new int[1024];
        for (int k = 0; k < 1 << 20; k++) {
            byte[] b = ("key" + k).getBytes(StandardCharsets.UTF_8);
            buckets[(int) (Hashing.hashBytes(MemorySegment.ofArray(b), 0, b.length) >>> 54)]++;
        }
        assertEquals(true, java.util.Arrays.stream(buckets).max().orElseThrow() < 1024 * 1.2, "string keys spread");
        assertNotEquals(Hashing.combine(1, 2), Hashing.combine(2, 1));
    }

    @Test
    void scratchHeapGrowsAndMapsCase() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            ScratchHeap h = new ScratchHeap(mem);
            Random r = new Random(3);
            java.util.List<String> put = new java.util.ArrayList<>();
            java.util.List<Long> at = new java.util.ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String s = random(r, 10) + "Ab";
                put.add(s);
                at.add(h.put(s));
            }
            long off = 0;
            for (int i = 0; i < put.size(); i++) {
                assertEquals(off, at.get(i));
                int len = put.get(i).getBytes(StandardCharsets.UTF_8).length;
                assertEquals(put.get(i), Strings.toJavaString(h.segment(), at.get(i), len));
                off += len;
            }
            assertEquals(off, h.used());
            h.reset();
            assertEquals(0, h.used());
            for (String s : new String[] {"Hello, World", "straße ÉTÉ", ""}) {
                MemorySegment src = MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
                long u = h.putUpper(src, 0, (int) src.byteSize());
                assertEquals(s.toUpperCase(Locale.ROOT), Strings.toJavaString(h.segment(), u, (int) (h.used() - u)));
                long l = h.putLower(src, 0, (int) src.byteSize());
                assertEquals(s.toLowerCase(Locale.ROOT), Strings.toJavaString(h.segment(), l, (int) (h.used() - l)));
                long c = h.putConcat(src, 0, (int) src.byteSize(), src, 0, (int) src.byteSize());
                assertEquals(s + s, Strings.toJavaString(h.segment(), c, (int) (h.used() - c)));
            }
        }
    }

    /**
     * Strings of 0 to 70 bytes at the very end of their segment (where the word reads cannot look
     * past it) and in the middle of one: word is the bytes as a little-endian long, equals agrees
     * with Arrays.equals for equal strings and for strings that differ in exactly one byte
     * (every position), and equal strings hash alike wherever they lie.
     */
    @Test
    void wordsAndEqualityAtSegmentEnds() {
        Random r = new Random(7);
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            for (int len = 0; len <= 70; len++) {
                byte[] x = new byte[len];
                r.nextBytes(x);
                MemorySegment atEnd = arena.allocate(Math.max(len, 1) + 3L).asSlice(3, len); // ends exactly where the string ends
                MemorySegment.copy(x, 0, atEnd, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, len);
                MemorySegment inside = arena.allocate(len + 32L);
                inside.fill((byte) 0x5A);
                MemorySegment.copy(x, 0, inside, java.lang.foreign.ValueLayout.JAVA_BYTE, 11, len);
                if (len <= 8) {
                    long want = 0;
                    for (int i = 0; i < len; i++) want |= (x[i] & 0xFFL) << (8 * i);
                    assertEquals(want, Strings.word(atEnd, 0, len), "word of " + len + " bytes at a segment's end");
                    assertEquals(want, Strings.word(inside, 11, len), "word of " + len + " bytes inside a segment");
                }
                assertEquals(true, Strings.equals(atEnd, 0, len, inside, 11, len), len + " equal bytes");
                assertEquals(Hashing.hashBytes(atEnd, 0, len), Hashing.hashBytes(inside, 11, len), "hash of " + len + " equal bytes");
                for (int i = 0; i < len; i++) {
                    byte keep = inside.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 11 + i);
                    inside.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 11 + i, (byte) (keep ^ (1 << r.nextInt(8))));
                    assertEquals(false, Strings.equals(atEnd, 0, len, inside, 11, len), len + " bytes differing at " + i);
                    assertEquals(false, Strings.equals(inside, 11, len, atEnd, 0, len), len + " bytes differing at " + i + " (swapped)");
                    inside.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 11 + i, keep);
                }
                if (len > 0) assertEquals(false, Strings.equals(atEnd, 0, len, inside, 11, len - 1), "lengths " + len + " and " + (len - 1));
            }
        }
    }
}
