package dev.kiln.connectors.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * JSON strings, scanned straight from the input bytes: 32 bytes at a time (one vector compare
 * for each kind of special byte) while none is a quote, a backslash, a control character or
 * non-ASCII; well-formed UTF-8 checked; escapes
 * (surrogate pairs included) decoded into a scratch buffer only when there are any. The last
 * string's bytes are {@code str[off, off + len)}, valid until the next scan.
 */
final class JsonStrings {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /** whether the JVM was started with {@code --add-modules jdk.incubator.vector} (without it, strings are scanned a word at a time) */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * The vector step, in a class of its own so that a JVM without the Vector API module never
     * links it. 32 bytes a step where the hardware has 256-bit vectors (AVX2, AVX-512, SVE), else
     * 16. A step may read past the string's end, into the next line even (not past the region:
     * every line ends with a '\n', which stops the scan). On YSB events (UUIDs of 36 bytes)
     * 256-bit steps parse at 109 ns an event, 128-bit ones at 120, 512-bit ones at 120, eight-byte
     * words at 150.
     */
    private static final class Step {
        static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() >= 32 ? ByteVector.SPECIES_256 : ByteVector.SPECIES_128;
        static final int BYTES = SPECIES.length();

        /** One bit per byte of b[i, i + BYTES) that is a quote, a backslash, a control character or non-ASCII. */
        static long special(byte[] b, int i) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, i);
            // a signed compare: bytes below 0x20 are control characters, negative ones non-ASCII
            return v.compare(VectorOperators.EQ, (byte) '"').or(v.compare(VectorOperators.EQ, (byte) '\\'))
                    .or(v.compare(VectorOperators.LT, (byte) 0x20)).toLong();
        }
    }

    /** bytes of a vector step; 0 without the Vector API */
    private static final int STEP = VECTORS ? Step.BYTES : 0;

    byte[] str;
    int off, len;
    private byte[] scratch = new byte[256];

    /**
     * Scans the string whose opening quote is at p (the line ends before {@code limit}); leaves its
     * unescaped bytes in str/off/len (the input itself when there is no escape) and returns the
     * position after the closing quote.
     */
    int scan(byte[] b, int p, int limit) {
        int i = p + 1;
        while (true) {
            if (VECTORS && i + STEP <= limit) {
                long special = Step.special(b, i);
                if (special == 0) {
                    i += STEP;
                    continue;
                }
                i += Long.numberOfTrailingZeros(special);
            } else if (i + 16 <= limit) { // near the line's end: sixteen bytes a step, the second word read only when the first is plain
                long special = specialBytes((long) WORD.get(b, i));
                if (special == 0) {
                    special = specialBytes((long) WORD.get(b, i + 8));
                    if (special == 0) {
                        i += 16;
                        continue;
                    }
                    i += 8;
                }
                i += Long.numberOfTrailingZeros(special) >>> 3;
            } else if (i + 8 <= limit) {
                long special = specialBytes((long) WORD.get(b, i));
                if (special == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(special) >>> 3;
            }
            byte c = b[i];
            if (c == '"') {
                str = b;
                off = p + 1;
                len = i - p - 1;
                return i + 1;
            }
            if (c == '\\') return unescape(b, p + 1, i);
            if (c < 0) i = utf8(b, i);
            else if (c < 0x20) throw control(i, c);
            else i++;
        }
    }

    /**
     * High bit set in each byte of w that is a quote, a backslash, a control character or
     * non-ASCII. Borrows can mark bytes after a marked one, never before, so the lowest mark is exact.
     */
    private static long specialBytes(long w) {
        long q = w ^ 0x2222222222222222L;
        long s = w ^ 0x5C5C5C5C5C5C5C5CL;
        long quote = (q - ONES) & ~q;
        long slash = (s - ONES) & ~s;
        long low = (w - 0x2020202020202020L) | w;
        return (quote | slash | low) & HIGH;
    }

    private static RecordParser.ParseError control(int i, byte c) {
        if (c == '\n') return new RecordParser.ParseError(i, "unterminated string (the line ends inside it)");
        return new RecordParser.ParseError(i, String.format("control character U+%04X in a string (write it as an escape, e.g. \\u%04X)", c, c));
    }

    /** The end of the well-formed UTF-8 sequence at i (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
    private static int utf8(byte[] b, int i) {
        int c0 = b[i] & 0xFF;
        if (c0 >= 0xC2 && c0 < 0xE0) {
            if (continuation(b[i + 1])) return i + 2;
        } else if (c0 >= 0xE0 && c0 < 0xF0) {
            int c1 = b[i + 1] & 0xFF;
            boolean ok = continuation(b[i + 1]) && !(c0 == 0xE0 && c1 < 0xA0) && !(c0 == 0xED && c1 >= 0xA0);
            if (ok && continuation(b[i + 2])) return i + 3;
        } else if (c0 >= 0xF0 && c0 < 0xF5) {
            int c1 = b[i + 1] & 0xFF;
            boolean ok = continuation(b[i + 1]) && !(c0 == 0xF0 && c1 < 0x90) && !(c0 == 0xF4 && c1 >= 0x90);
            if (ok && continuation(b[i + 2]) && continuation(b[i + 3])) return i + 4;
        }
        throw new RecordParser.ParseError(i, String.format("invalid UTF-8 (byte 0x%02X); the input must be UTF-8", c0));
    }

    private static boolean continuation(byte c) {
        return (c & 0xC0) == 0x80;
    }

    /** The slow path of {@link #scan}: from the first backslash at i, decodes into the scratch buffer. */
    private int unescape(byte[] b, int start, int i) {
        int n = i - start;
        ensureScratch(n + 8);
        System.arraycopy(b, start, scratch, 0, n);
        while (true) {
            byte c = b[i];
            if (n + 8 > scratch.length) ensureScratch(n + 8);
            if (c == '"') {
                str = scratch;
                off = 0;
                len = n;
                return i + 1;
            }
            if (c == '\\') {
                byte e = b[i + 1];
                switch (e) {
                    case '"', '\\', '/' -> scratch[n++] = e;
                    case 'b' -> scratch[n++] = '\b';
                    case 'f' -> scratch[n++] = '\f';
                    case 'n' -> scratch[n++] = '\n';
                    case 'r' -> scratch[n++] = '\r';
                    case 't' -> scratch[n++] = '\t';
                    case 'u' -> {
                        int cp = hex4(b, i);
                        if (cp >= 0xDC00 && cp <= 0xDFFF) throw new RecordParser.ParseError(i, "lone low surrogate " + RecordParser.token(b, i) + " (not preceded by a high surrogate)");
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            int lo = b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 6) : -1;
                            if (lo < 0xDC00 || lo > 0xDFFF) throw new RecordParser.ParseError(i, "lone high surrogate " + RecordParser.token(b, i) + " (a \\uDC00-\\uDFFF escape must follow)");
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            i += 6;
                        }
                        n = putUtf8(cp, n);
                        i += 4;
                    }
                    default -> throw new RecordParser.ParseError(i, "invalid escape " + (e == '\n' ? "\\ at the end of the line" : "'\\" + (char) (e & 0xFF) + "'"));
                }
                i += 2;
            } else if (c < 0) {
                int end = utf8(b, i);
                while (i < end) scratch[n++] = b[i++];
            } else if (c < 0x20) {
                throw control(i, c);
            } else {
                scratch[n++] = c;
                i++;
            }
        }
    }

    /** The UTF-16 code unit of the backslash-u escape at i (the four hex digits after "\\u"). */
    private static int hex4(byte[] b, int i) {
        int v = 0;
        for (int k = i + 2; k < i + 6; k++) {
            int c = b[k], d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
            else throw new RecordParser.ParseError(i, "invalid \\u escape " + RecordParser.token(b, i) + " (four hex digits must follow)");
            v = v << 4 | d;
        }
        return v;
    }

    private int putUtf8(int cp, int n) {
        byte[] s = scratch;
        if (cp < 0x80) {
            s[n++] = (byte) cp;
        } else if (cp < 0x800) {
            s[n++] = (byte) (0xC0 | cp >> 6);
            s[n++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            s[n++] = (byte) (0xE0 | cp >> 12);
            s[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            s[n++] = (byte) (0x80 | cp & 0x3F);
        } else {
            s[n++] = (byte) (0xF0 | cp >> 18);
            s[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
            s[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            s[n++] = (byte) (0x80 | cp & 0x3F);
        }
        return n;
    }

    private void ensureScratch(int n) {
        if (n > scratch.length) scratch = java.util.Arrays.copyOf(scratch, Math.max(n, scratch.length * 2));
    }
}
