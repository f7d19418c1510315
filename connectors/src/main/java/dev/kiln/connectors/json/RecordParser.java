package dev.kiln.connectors.json;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Parses one JSON record straight from bytes into the current row of a {@link RowTarget} (the
 * batch's {@link RowColumn}s, or one staged row), directed by the schema: a value is converted as soon as its field name is
 * known, unknown fields are validated and skipped, and nothing is allocated on the way (no String
 * per line or field, no token objects). Strings without escapes are copied from the input as they
 * are.
 *
 * <p>Every line of the region ends with {@code '\n'} (the reader guarantees it), and every loop
 * here stops at that byte, so the parser never reads past a line without checking each index.
 * Errors are thrown as {@link ParseError} (no stack trace) carrying the byte position.
 */
final class RecordParser {
    static final int MAX_DEPTH = 512;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long TEN_17 = 100_000_000_000_000_000L;
    private static final long TWO_53 = 1L << 53;
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
            1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static final long[] LONG_POW10 = new long[19];

    static {
        LONG_POW10[0] = 1;
        for (int i = 1; i < LONG_POW10.length; i++) LONG_POW10[i] = LONG_POW10[i - 1] * 10;
    }

    /** A record is bad; {@code pos} is the byte in the input where it went wrong. */
    static final class ParseError extends RuntimeException {
        final int pos;

        ParseError(int pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    private static final int BOOL = 0, I8 = 1, I16 = 2, I32 = 3, I64 = 4, DECIMAL = 5, DOUBLE = 6, DATE = 7, TIMESTAMP = 8, VARCHAR = 9;

    private final FieldNames names;
    private final int[] kinds;
    private final boolean[] nullable;
    private final DataType[] types;
    /** per column, the stamp of the last record that had it (so nothing is cleared per record) */
    private final int[] seen;
    /** after column c (slot c + 1; slot 0 = the first field), the column the previous record had next */
    private final int[] next;
    /**
     * Keys not in the schema met so far, learned so that a record's known order of fields (the
     * {@link #next} chain) runs through them too: an unknown key is then recognized by one or two
     * word compares instead of a scan and a hash lookup. Ids {@code n + i}. Per parser (one thread).
     */
    private static final int MAX_UNKNOWN = 32;
    /**
     * Per key id (a column, or {@code n + i} for learned unknown key i): its quoted text (name and
     * closing quote), that text's length ({@code -1} for a name that must be scanned: it has a
     * quote, backslash or control character), and its first 16 bytes as masked words
     * ({@link FieldNames#words}, four longs per id in one array, so that checking the expected
     * key reads one array).
     */
    private final byte[][] keyText;
    private final int[] keyLength;
    private final long[] keyWords;
    private int unknowns;
    private int stamp;

    RowTarget out;
    byte[] buf;
    /** end of the region: {@code buf[limit - 1] == '\n'} */
    int limit;
    /** whether the last {@link #parse} met an empty line */
    boolean empty;

    /** scans strings; holds the last one's unescaped bytes */
    private final JsonStrings strings = new JsonStrings();

    /** the last number scanned: (neg ? -1 : 1) * mant * 10^exp; inexact if digits were lost */
    private long mant;
    private int exp;
    private boolean neg, inexact, integral;

    RecordParser(Schema schema, FieldNames names) {
        this.names = names;
        int n = schema.size();
        kinds = new int[n];
        nullable = new boolean[n];
        types = new DataType[n];
        seen = new int[n];
        next = new int[n + MAX_UNKNOWN + 1];
        java.util.Arrays.fill(next, -1);
        keyText = new byte[n + MAX_UNKNOWN][];
        keyLength = new int[n + MAX_UNKNOWN];
        keyWords = new long[4 * (n + MAX_UNKNOWN)];
        for (int i = 0; i < n; i++) {
            keyText[i] = names.quoted[i];
            keyLength[i] = names.plain[i] ? names.quoted[i].length : -1;
            FieldNames.words(names.quoted[i], keyWords, 4 * i);
        }
        for (int i = 0; i < n; i++) {
            Field f = schema.field(i);
            types[i] = f.type();
            nullable[i] = f.nullable();
            kinds[i] = switch (f.type()) {
                case DataType.BooleanType t -> BOOL;
                case DataType.IntType t -> switch (t.bits()) {
                    case 8 -> I8;
                    case 16 -> I16;
                    case 32 -> I32;
                    default -> I64;
                };
                case DataType.DecimalType t -> DECIMAL;
                case DataType.DoubleType t -> DOUBLE;
                case DataType.DateType t -> DATE;
                case DataType.TimestampType t -> TIMESTAMP;
                case DataType.VarcharType t -> VARCHAR;
                case DataType.StructType t -> throw unsupported(f);
                case DataType.TensorType t -> throw unsupported(f);
            };
        }
    }

    /**
     * The schema's field names, once the schema is checked: each name once, and every column of
     * a type the parser reads; a {@link KilnException} naming the column otherwise.
     */
    static FieldNames namesOf(Schema schema) {
        Set<String> seen = new HashSet<>();
        for (Field f : schema.fields()) {
            if (!seen.add(f.name())) throw new KilnException("the JSON schema names field '" + f.name() + "' twice; give each column its own name");
        }
        FieldNames names = new FieldNames(schema);
        try {
            new RecordParser(schema, names); // checks every column's type once, here
        } catch (IllegalArgumentException e) {
            throw new KilnException(e.getMessage());
        }
        return names;
    }

    /** The column of byte {@code pos} in a record starting at {@code start}: characters from 1, not bytes. */
    static int column(byte[] b, int start, int pos) {
        int column = 1;
        for (int i = start; i < pos; i++) if ((b[i] & 0xC0) != 0x80) column++;
        return column;
    }

    private static IllegalArgumentException unsupported(Field f) {
        return new IllegalArgumentException("column '" + f.name() + "' is declared " + f.type().sql()
                + ", which the JSON reader cannot read yet; declare it VARCHAR or leave it out of the schema");
    }

    /**
     * Parses the line at {@code p} into row {@code row}; returns the position of its {@code '\n'}.
     * Sets {@link #empty} for a line of whitespace only (no row is written).
     */
    int parse(int p, int row) {
        byte[] b = buf;
        p = skipSpace(b, p);
        if (b[p] == '\n') {
            empty = true;
            return p;
        }
        empty = false;
        if (b[p] != '{') throw new ParseError(p, "expected a JSON object, found " + found(p));
        int st = ++stamp;
        if (st == Integer.MAX_VALUE) {
            java.util.Arrays.fill(seen, 0);
            st = stamp = 1;
        }
        int count = 0, slot = 0;
        p = skipSpace(b, p + 1);
        if (b[p] != '}') {
            while (true) {
                if (b[p] != '"') throw new ParseError(p, "expected a field name in double quotes, found " + found(p));
                int keyStart = p;
                int col = next[slot];
                int n = kinds.length;
                if (col >= 0 && keyAt(b, p + 1, col)) {
                    p += keyLength[col] + 1;
                } else {
                    p = strings.scan(b, p, limit);
                    col = names.lookup(strings.str, strings.off, strings.len);
                    if (col < 0 && strings.str == b && strings.off == keyStart + 1) col = learnUnknown(b, strings.off, strings.len);
                    if (col >= 0) next[slot] = col;
                }
                // compact JSON (no spaces) is the common case: test the expected byte before skipping
                if (b[p] != ':') {
                    p = skipSpace(b, p);
                    if (b[p] != ':') throw new ParseError(p, "expected ':' after a field name, found " + found(p));
                }
                p = skipSpace(b, p + 1);
                if (col < 0 || col >= kinds.length) {
                    p = skip(b, p, 0);
                    if (col >= 0) slot = col + 1; // a learned unknown key: the chain goes on through it
                } else {
                    if (seen[col] == st) throw new ParseError(keyStart, "field '" + names.name(col) + "' appears twice in the object");
                    seen[col] = st;
                    count++;
                    slot = col + 1;
                    p = value(b, p, col, row);
                }
                if (b[p] <= ' ') p = skipSpace(b, p);
                if (b[p] == ',') {
                    p = skipSpace(b, p + 1);
                } else if (b[p] == '}') {
                    break;
                } else {
                    throw new ParseError(p, "expected ',' or '}' after a value, found " + found(p));
                }
            }
        }
        int close = p;
        p = skipSpace(b, p + 1);
        if (b[p] != '\n') throw new ParseError(p, "unexpected text after the object: " + found(p));
        if (count != kinds.length) missing(st, row, close);
        return p;
    }

    private void missing(int st, int row, int pos) {
        for (int c = 0; c < kinds.length; c++) {
            if (seen[c] == st) continue;
            if (!nullable[c]) throw new ParseError(pos, "field '" + names.name(c) + "' is missing and the column is NOT NULL");
            out.setNull(c, row);
        }
    }

    /**
     * Is the key at {@code p} (after its opening quote) exactly key {@code id}'s text, closing quote
     * included? The text has no '\n', so a match never runs past the line; a word read may look
     * past it (not past the array), and the masks ignore what it finds there.
     */
    private boolean keyAt(byte[] b, int p, int id) {
        int n = keyLength[id];
        if (n < 0) return false;
        if (p + 16 <= b.length) {
            long[] w = keyWords;
            int k = 4 * id;
            if (((long) WORD.get(b, p) & w[k + 1]) != w[k]) return false;
            if (n <= 8) return true;
            if (((long) WORD.get(b, p + 8) & w[k + 3]) != w[k + 2]) return false;
            if (n <= 16) return true;
            byte[] key = keyText[id];
            for (int i = 16; i < n; i++) if (b[p + i] != key[i]) return false;
            return true;
        }
        if (p + n > limit) return false;
        byte[] key = keyText[id];
        for (int i = 0; i < n; i++) if (b[p + i] != key[i]) return false;
        return true;
    }

    /** Learns a key (its bytes unescaped in place) that is not in the schema; its id, or -1 when the table is full. */
    private int learnUnknown(byte[] b, int off, int len) {
        int n = kinds.length;
        for (int id = n; id < n + unknowns; id++) {
            byte[] q = keyText[id];
            if (q.length == len + 1 && java.util.Arrays.equals(q, 0, len, b, off, off + len)) return id;
        }
        if (unknowns == MAX_UNKNOWN) return -1;
        int id = n + unknowns++;
        keyText[id] = FieldNames.quoted(b, off, len);
        keyLength[id] = keyText[id].length;
        FieldNames.words(keyText[id], keyWords, 4 * id);
        return id;
    }

    private static int skipSpace(byte[] b, int p) {
        byte c = b[p];
        if (c > ' ') return p; // one compare for the usual case: no space at all
        for (; c == ' ' || c == '\t' || c == '\r'; c = b[++p]) {}
        return p;
    }

    /**
     * The value at p into column col. A string into a VARCHAR column, the most common case of
     * event data, is handled here in a few bytecodes so that the JIT inlines it into
     * {@link #parse}; everything else goes through {@link #otherValue}.
     */
    private int value(byte[] b, int p, int col, int row) {
        if (kinds[col] == VARCHAR && b[p] == '"') {
            p = strings.scan(b, p, limit);
            out.setString(col, row, strings.str, strings.off, strings.len);
            return p;
        }
        return otherValue(b, p, col, row);
    }

    private int otherValue(byte[] b, int p, int col, int row) {
        byte c = b[p];
        if (c == 'n') {
            int end = literal(b, p, "null");
            if (!nullable[col]) throw new ParseError(p, "field '" + names.name(col) + "': null in a NOT NULL column");
            out.setNull(col, row);
            return end;
        }
        switch (kinds[col]) {
            case VARCHAR -> {
                if (c != '"') throw expected(col, p, "a string");
                p = strings.scan(b, p, limit);
                out.setString(col, row, strings.str, strings.off, strings.len);
                return p;
            }
            case I64, I32, I16, I8 -> {
                if (c != '-' && (c < '0' || c > '9')) throw expected(col, p, "an integer");
                int end = number(b, p);
                long v = integer(b, p, end, col);
                DataType.IntType t = (DataType.IntType) types[col];
                if (v < t.minValue() || v > t.maxValue()) throw outOfRange(p, col, v);
                switch (kinds[col]) {
                    case I8 -> out.setByte(col, row, (byte) v);
                    case I16 -> out.setShort(col, row, (short) v);
                    case I32 -> out.setInt(col, row, (int) v);
                    default -> out.setLong(col, row, v);
                }
                return end;
            }
            case TIMESTAMP -> {
                if (c == '"') {
                    int end = strings.scan(b, p, limit);
                    try {
                        out.setLong(col, row, JsonTime.timestamp(strings.str, strings.off, strings.len));
                    } catch (JsonTime.BadValue e) {
                        throw notA(col, p, e);
                    }
                    return end;
                }
                if (c != '-' && (c < '0' || c > '9')) throw expected(col, p, "a timestamp string or epoch milliseconds");
                return epochMillis(b, p, col, row);
            }
            case DATE -> {
                if (c != '"') throw expected(col, p, "a date string");
                int end = strings.scan(b, p, limit);
                try {
                    out.setInt(col, row, JsonTime.date(strings.str, strings.off, strings.len));
                } catch (JsonTime.BadValue e) {
                    throw notA(col, p, e);
                }
                return end;
            }
            case DOUBLE -> {
                if (c != '-' && (c < '0' || c > '9')) throw expected(col, p, "a number");
                int end = number(b, p);
                out.setDouble(col, row, toDouble(b, p, end, col));
                return end;
            }
            case DECIMAL -> {
                if (c != '-' && (c < '0' || c > '9')) throw expected(col, p, "a number");
                int end = number(b, p);
                out.setLong(col, row, toDecimal(b, p, end, col));
                return end;
            }
            default -> {
                int end;
                if (c == 't') {
                    end = literal(b, p, "true");
                    out.setBoolean(col, row, true);
                } else if (c == 'f') {
                    end = literal(b, p, "false");
                    out.setBoolean(col, row, false);
                } else {
                    throw expected(col, p, "true or false");
                }
                return end;
            }
        }
    }

    private int epochMillis(byte[] b, int p, int col, int row) {
        int end = number(b, p);
        long millis = integer(b, p, end, col);
        if (millis > Long.MAX_VALUE / 1000 || millis < Long.MIN_VALUE / 1000) {
            throw new ParseError(p, "field '" + names.name(col) + "': " + millis + " epoch milliseconds is out of range for TIMESTAMP");
        }
        out.setLong(col, row, millis * 1000);
        return end;
    }

    private ParseError outOfRange(int p, int col, long v) {
        DataType.IntType t = (DataType.IntType) types[col];
        return new ParseError(p, "field '" + names.name(col) + "': " + v + " is out of range for " + t.sql() + " (" + t.minValue() + " to " + t.maxValue() + ")");
    }

    private ParseError expected(int col, int p, String what) {
        return new ParseError(p, "field '" + names.name(col) + "': expected " + what + ", found " + found(p));
    }

    private ParseError notA(int col, int p, JsonTime.BadValue e) {
        String text = new String(strings.str, strings.off, strings.len, StandardCharsets.UTF_8);
        return new ParseError(p, "field '" + names.name(col) + "': \"" + text + "\" is not a " + types[col].sql() + " (" + e.getMessage() + ")");
    }

    private int literal(byte[] b, int p, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (b[p + i] != word.charAt(i)) throw new ParseError(p, "invalid literal " + token(b, p) + " (expected " + word + ")");
        }
        return p + word.length();
    }

    // ---- numbers

    /** Scans a JSON number at p into mant/exp/neg/inexact/integral; returns its end. */
    private int number(byte[] b, int p) {
        int i = p;
        boolean negative = b[i] == '-';
        if (negative) i++;
        long m = 0;
        int e = 0;
        boolean lost = false;
        int c = b[i] - '0';
        if (c == 0) {
            c = b[++i] - '0';
            if (c >= 0 && c <= 9) throw new ParseError(p, "invalid number " + token(b, p) + " (a leading zero)");
        } else if (c > 0 && c <= 9) {
            // eight digits a step while they fit (epoch milliseconds, ids); m stays below 10^17 as the digit loop requires
            while (m < 1_000_000_000L && i + 8 <= limit) {
                long w = (long) WORD.get(b, i);
                if (!eightDigits(w)) break;
                m = m * 100_000_000L + digitsValue(w);
                i += 8;
            }
            c = b[i] - '0';
            while (c >= 0 && c <= 9) {
                if (m < TEN_17) {
                    m = m * 10 + c;
                } else {
                    e++;
                    lost |= c != 0;
                }
                c = b[++i] - '0';
            }
        } else {
            throw new ParseError(p, "invalid number " + token(b, p));
        }
        boolean whole = true;
        if (b[i] == '.') {
            whole = false;
            c = b[++i] - '0';
            if (c < 0 || c > 9) throw new ParseError(p, "invalid number " + token(b, p) + " (no digit after the point)");
            do {
                if (m < TEN_17) {
                    m = m * 10 + c;
                    e--;
                } else {
                    lost |= c != 0;
                }
                c = b[++i] - '0';
            } while (c >= 0 && c <= 9);
        }
        if (b[i] == 'e' || b[i] == 'E') {
            whole = false;
            int sign = 1;
            if (b[i + 1] == '+' || b[i + 1] == '-') {
                sign = b[i + 1] == '-' ? -1 : 1;
                i++;
            }
            c = b[++i] - '0';
            if (c < 0 || c > 9) throw new ParseError(p, "invalid number " + token(b, p) + " (no digit in the exponent)");
            int x = 0;
            do {
                if (x < 100_000) x = x * 10 + c;
                c = b[++i] - '0';
            } while (c >= 0 && c <= 9);
            e += sign * x;
        }
        mant = m;
        exp = e;
        neg = negative;
        inexact = lost;
        integral = whole;
        return i;
    }

    /** Are all eight bytes of w (little-endian) ASCII digits? No byte's test borrows into another's. */
    static boolean eightDigits(long w) {
        return ((w & 0xF0F0F0F0F0F0F0F0L) | (((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) == 0x3333333333333333L;
    }

    /** The value of eight ASCII digits (the first in the lowest byte): pairs, then fours, then all eight, three multiplies in all. */
    static long digitsValue(long w) {
        w -= 0x3030303030303030L;
        w = w * 10 + (w >>> 8); // each 16-bit lane's low byte: 10 * first digit + second
        long pairs = w & 0x000000FF000000FFL, pairs2 = (w >>> 16) & 0x000000FF000000FFL;
        return (pairs * (100 + (1_000_000L << 32)) + pairs2 * (1 + (10_000L << 32))) >>> 32;
    }

    static String token(byte[] b, int p) {
        int end = p;
        while (b[end] != '\n' && b[end] != ',' && b[end] != '}' && b[end] != ']' && b[end] != ' ' && end - p < 40) end++;
        return new String(b, p, end - p, StandardCharsets.UTF_8);
    }

    /** The integer scanned at [p, end); a fraction or exponent is an error, not rounded. */
    private long integer(byte[] b, int p, int end, int col) {
        if (integral && exp == 0) return neg ? -mant : mant;
        return longInteger(b, p, end, col);
    }

    /** Not an integer, or 19 digits or more: rare enough to go through the JDK, which knows the exact limits. */
    private long longInteger(byte[] b, int p, int end, int col) {
        if (!integral) throw new ParseError(p, "field '" + names.name(col) + "': expected an integer, found " + token(b, p));
        String text = new String(b, p, end - p, StandardCharsets.ISO_8859_1);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException x) {
            throw new ParseError(p, "field '" + names.name(col) + "': " + text + " is out of range for " + types[col].sql());
        }
    }

    private double toDouble(byte[] b, int p, int end, int col) {
        double d;
        if (mant == 0) {
            d = 0;
        } else if (!inexact && mant < TWO_53 && exp >= -22 && exp <= 22) {
            // both operands exact, so the one IEEE rounding gives the correctly rounded value (Clinger's fast path)
            d = exp >= 0 ? mant * POW10[exp] : mant / POW10[-exp];
        } else {
            d = Math.abs(Double.parseDouble(new String(b, p, end - p, StandardCharsets.ISO_8859_1)));
            if (Double.isInfinite(d)) throw new ParseError(p, "field '" + names.name(col) + "': " + token(b, p) + " is out of range for DOUBLE");
        }
        return neg ? -d : d;
    }

    /** The unscaled value at the column's scale; digits that would be rounded away are an error. */
    private long toDecimal(byte[] b, int p, int end, int col) {
        DataType.DecimalType t = (DataType.DecimalType) types[col];
        long v = mant;
        if (v != 0) {
            if (inexact) throw notDecimal(b, p, col, "more than 18 significant digits");
            int shift = exp + t.scale();
            if (shift < 0) {
                if (-shift > 18 || v % LONG_POW10[-shift] != 0) throw notDecimal(b, p, col, "more than " + t.scale() + " digits after the point");
                v /= LONG_POW10[-shift];
            } else if (shift > 0) {
                if (shift > 18 || v > Long.MAX_VALUE / LONG_POW10[shift]) throw notDecimal(b, p, col, tooLarge(t));
                v *= LONG_POW10[shift];
            }
            if (v >= LONG_POW10[t.precision()]) throw notDecimal(b, p, col, tooLarge(t));
        }
        return neg ? -v : v;
    }

    private static String tooLarge(DataType.DecimalType t) {
        return "more than " + (t.precision() - t.scale()) + " digits before the point";
    }

    private ParseError notDecimal(byte[] b, int p, int col, String why) {
        return new ParseError(p, "field '" + names.name(col) + "': " + token(b, p) + " does not fit " + types[col].sql() + " (" + why + ")");
    }

    // ---- skipping what the schema does not name

    /** Validates and skips the value at p (any JSON value, nested to {@link #MAX_DEPTH}); returns its end. */
    private int skip(byte[] b, int p, int depth) {
        switch (b[p]) {
            case '"' -> {
                return strings.scan(b, p, limit);
            }
            case '{', '[' -> {
                if (depth == MAX_DEPTH) throw new ParseError(p, "nested more than " + MAX_DEPTH + " levels deep");
                boolean object = b[p] == '{';
                byte close = (byte) (object ? '}' : ']');
                p = skipSpace(b, p + 1);
                if (b[p] == close) return p + 1;
                while (true) {
                    if (object) {
                        if (b[p] != '"') throw new ParseError(p, "expected a field name in double quotes, found " + found(p));
                        p = skipSpace(b, strings.scan(b, p, limit));
                        if (b[p] != ':') throw new ParseError(p, "expected ':' after a field name, found " + found(p));
                        p = skipSpace(b, p + 1);
                    }
                    p = skipSpace(b, skip(b, p, depth + 1));
                    if (b[p] == close) return p + 1;
                    if (b[p] != ',') throw new ParseError(p, "expected ',' or '" + (char) close + "', found " + found(p));
                    p = skipSpace(b, p + 1);
                }
            }
            case 't' -> {
                return literal(b, p, "true");
            }
            case 'f' -> {
                return literal(b, p, "false");
            }
            case 'n' -> {
                return literal(b, p, "null");
            }
            default -> {
                if (b[p] == '-' || b[p] >= '0' && b[p] <= '9') return number(b, p);
                throw new ParseError(p, "expected a JSON value, found " + found(p));
            }
        }
    }

    /** What is at p, for messages: "a number", "an object", "'x'", "the end of the line"... */
    private String found(int p) {
        byte[] b = buf;
        byte c = b[p];
        return switch (c) {
            case '"' -> "a string";
            case '{' -> "an object";
            case '[' -> "an array";
            case '\n' -> "the end of the line";
            case 't', 'f' -> isWord(p, c == 't' ? "true" : "false") ? "a boolean" : character(p);
            case 'n' -> isWord(p, "null") ? "null" : character(p);
            default -> c == '-' || c >= '0' && c <= '9' ? "a number" : character(p);
        };
    }

    private boolean isWord(int p, String word) {
        for (int i = 0; i < word.length(); i++) if (buf[p + i] != word.charAt(i)) return false;
        return true;
    }

    private String character(int p) {
        byte c = buf[p];
        if (c >= 0x20 && c < 0x7F) return "'" + (char) c + "'";
        if (c >= 0 && c < 0x20 || c == 0x7F) return String.format("U+%04X", (int) c);
        int end = p + 1;
        while (end < limit && end - p < 4 && (buf[end] & 0xC0) == 0x80) end++;
        return "'" + new String(buf, p, end - p, StandardCharsets.UTF_8) + "'";
    }
}
