package dev.kiln.connectors.json;

import dev.kiln.ir.type.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The schema's field names as UTF-8 bytes, and a lookup from a key's bytes to a column that
 * allocates nothing. Exact matches win; otherwise the first field equal ignoring case (ASCII
 * letters compared byte-wise; names or keys with other letters through
 * {@link String#equalsIgnoreCase}, a slow path for unknown non-ASCII keys only).
 *
 * <p>The table is open-addressed on a hash of the length and three case-folded bytes, so names
 * that differ only in ASCII case share a probe chain, met in schema order.
 */
final class FieldNames {
    private final byte[][] utf8;
    /**
     * Whether the name's UTF-8 is also its JSON text between the quotes (no quote, backslash or
     * control character), so that a key can be compared in place without being scanned first.
     */
    final boolean[] plain;
    /** A name's JSON key text after the opening quote: the name and the closing quote. */
    final byte[][] quoted;
    private final String[] names;
    /** some name has a non-ASCII character, which may equal an ASCII key ignoring case (K and the Kelvin sign) */
    private final boolean nonAsciiName;
    private final int[] table;
    private final int shift;

    FieldNames(Schema schema) {
        int n = schema.size();
        utf8 = new byte[n][];
        plain = new boolean[n];
        quoted = new byte[n][];
        names = new String[n];
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(4, n * 2) - 1);
        table = new int[1 << bits];
        Arrays.fill(table, -1);
        shift = 32 - bits;
        boolean nonAscii = false;
        for (int i = 0; i < n; i++) {
            names[i] = schema.field(i).name();
            byte[] b = names[i].getBytes(StandardCharsets.UTF_8);
            utf8[i] = b;
            boolean p = true, a = true;
            for (byte x : b) {
                if (x >= 0 && x < 0x20 || x == '"' || x == '\\') p = false; // UTF-8 beyond ASCII stands as it is
                if (x < 0) a = false;
            }
            plain[i] = p;
            quoted[i] = quoted(b, 0, b.length);
            nonAscii |= !a;
            int slot = hash(b, 0, b.length);
            while (table[slot] >= 0) slot = (slot + 1) & (table.length - 1);
            table[slot] = i;
        }
        nonAsciiName = nonAscii;
    }

    /** A key's text after its opening quote: the bytes and the closing quote. */
    static byte[] quoted(byte[] b, int off, int len) {
        byte[] q = Arrays.copyOfRange(b, off, off + len + 1);
        q[len] = '"';
        return q;
    }

    /**
     * A quoted key's first 16 bytes as little-endian words with their masks, at
     * {@code packed[at, at + 4)}: bytes 0-7, their mask, bytes 8-15, their mask. A key is then
     * checked with one or two masked long compares.
     */
    static void words(byte[] quoted, long[] packed, int at) {
        for (int k = 0; k < Math.min(16, quoted.length); k++) {
            long value = (quoted[k] & 0xFFL) << (8 * (k & 7));
            long mask = 0xFFL << (8 * (k & 7));
            int word = at + (k < 8 ? 0 : 2);
            packed[word] |= value;
            packed[word + 1] |= mask;
        }
    }

    int size() {
        return utf8.length;
    }

    private int hash(byte[] b, int off, int len) {
        int h = len;
        if (len > 0) {
            h = h * 31 + (b[off] | 0x20);
            h = h * 31 + (b[off + len - 1] | 0x20);
            h = h * 31 + (b[off + (len >>> 1)] | 0x20);
        }
        return (h * 0x9E3779B1) >>> shift;
    }

    /** The column of the key {@code b[off, off+len)} (unescaped UTF-8), or -1. */
    int lookup(byte[] b, int off, int len) {
        int folded = -1;
        for (int slot = hash(b, off, len); ; slot = (slot + 1) & (table.length - 1)) {
            int f = table[slot];
            if (f < 0) break;
            byte[] name = utf8[f];
            if (name.length != len) continue;
            if (Arrays.equals(name, 0, len, b, off, off + len)) return f;
            if (folded < 0 && equalsIgnoreAsciiCase(name, b, off)) folded = f;
        }
        if (folded >= 0) return folded;
        if (nonAsciiName || !isAscii(b, off, len)) return lookupUnicode(new String(b, off, len, StandardCharsets.UTF_8));
        return -1;
    }

    private static boolean equalsIgnoreAsciiCase(byte[] name, byte[] b, int off) {
        for (int i = 0; i < name.length; i++) {
            int x = name[i], y = b[off + i];
            if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) return false;
        }
        return true;
    }

    private static boolean isAscii(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) if (b[i] < 0) return false;
        return true;
    }

    private int lookupUnicode(String key) {
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(key)) return i;
        return -1;
    }

    String name(int column) {
        return names[column];
    }
}
