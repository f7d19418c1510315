package dev.kiln.codegen.pipeline;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Static helpers that generated pipelines call for the less common operations (division with
 * its error cases, rounding, string building, calendar math, text casts). Hot, simple operations
 * are emitted inline instead; these are kept small so the JIT inlines them.
 */
public final class Fn {
    private Fn() {}

    public static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    /** Bit {@code row} of a validity bitmap is clear: the value is NULL. */
    /**
     * A string literal's bytes as an off-heap segment. Column data is off-heap (or mapped), so with
     * literals off-heap too the string helpers see one kind of segment and the JIT inlines their
     * accesses; a heap segment among them makes every call site megamorphic (measured: a third
     * of TPC-H Q10's time went to the generic access path). Made once per compiled query (a
     * parameter of its pipelines) and freed by the GC with it.
     */
    public static MemorySegment offHeap(byte[] bytes) {
        return java.lang.foreign.Arena.ofAuto().allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes);
    }

    /** One more row out of operator {@code slot} (EXPLAIN ANALYZE counters). */
    public static void count(long[] counters, int slot) {
        counters[slot]++;
    }

    public static boolean isNull(MemorySegment validity, int row) {
        return validity.byteSize() != 0 && (validity.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) (row >>> 6) << 3) & (1L << row)) == 0;
    }

    // ---- errors ---------------------------------------------------------------------------

    static KilnException divisionByZero() {
        return new KilnException("division by zero");
    }

    static KilnException overflow(String what) {
        return new KilnException("numeric overflow: " + what + " (cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE)");
    }

    // ---- arithmetic -----------------------------------------------------------------------

    public static int divide(int a, int b) {
        if (b == 0) throw divisionByZero();
        if (a == Integer.MIN_VALUE && b == -1) throw overflow("INTEGER " + a + " / -1");
        return a / b;
    }

    public static long divide(long a, long b) {
        if (b == 0) throw divisionByZero();
        if (a == Long.MIN_VALUE && b == -1) throw overflow("BIGINT " + a + " / -1");
        return a / b;
    }

    public static double divide(double a, double b) {
        if (b == 0.0) throw divisionByZero();
        return a / b;
    }

    public static int mod(int a, int b) {
        if (b == 0) throw divisionByZero();
        return b == -1 ? 0 : a % b;
    }

    public static long mod(long a, long b) {
        if (b == 0) throw divisionByZero();
        return b == -1 ? 0 : a % b;
    }

    public static double mod(double a, double b) {
        if (b == 0.0) throw divisionByZero();
        return a % b;
    }

    public static int checkRange(int v, int bits) {
        int min = -(1 << (bits - 1));
        int max = (1 << (bits - 1)) - 1;
        if (v < min || v > max) throw overflow((bits == 8 ? "TINYINT" : "SMALLINT") + " value " + v);
        return v;
    }

    public static long checkRange(long v, int bits) {
        if (bits == 64) return v;
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        if (v < min || v > max) throw overflow(bitsName(bits) + " value " + v);
        return v;
    }

    private static String bitsName(int bits) {
        return switch (bits) {
            case 8 -> "TINYINT";
            case 16 -> "SMALLINT";
            case 32 -> "INTEGER";
            default -> "BIGINT";
        };
    }

    /** Rescales an unscaled decimal, rounding HALF_UP when the scale shrinks. */
    public static long rescale(long v, int from, int to) {
        if (to == from) return v;
        if (to > from) return Math.multiplyExact(v, POW10[to - from]);
        long div = POW10[from - to];
        long q = v / div;
        long r = v % div;
        if (Math.abs(r) * 2 >= div) q += v < 0 ? -1 : 1;
        return q;
    }

    /** a * b (scale sa + sb) rounded HALF_UP by {@code drop} digits, exact in between. */
    public static long multiplyRescale(long a, long b, int drop) {
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        BigDecimal r = new BigDecimal(p, drop).setScale(0, RoundingMode.HALF_UP);
        try {
            return r.longValueExact();
        } catch (ArithmeticException e) {
            throw overflow("DECIMAL product " + a + " * " + b);
        }
    }

    public static long floorDecimal(long v, int scale, int toScale) {
        long div = POW10[scale];
        return Math.multiplyExact(Math.floorDiv(v, div), POW10[toScale]);
    }

    public static long ceilDecimal(long v, int scale, int toScale) {
        long div = POW10[scale];
        return Math.multiplyExact(-Math.floorDiv(-v, div), POW10[toScale]);
    }

    /** ROUND on DOUBLE: half away from zero after scaling, exactly as the reference semantics define it. */
    public static double roundDouble(double v, int digits) {
        return dev.kiln.ir.eval.NumericFunctions.round(v, digits);
    }

    /** ROUND(decimal, digits) HALF_UP; the result keeps {@code resultScale}. */
    public static long roundDecimal(long v, int scale, int digits, int resultScale) {
        if (digits >= scale) return rescale(v, scale, resultScale);
        int d = Math.max(digits, scale - 18);
        long rounded = d >= 0 ? rescale(v, scale, d) : rescale(rescale(v, scale, 0), 0, 0);
        if (d < 0) {
            long p = POW10[Math.min(-d, 18)];
            long q = rounded / p;
            long r = rounded % p;
            if (Math.abs(r) * 2 >= p) q += rounded < 0 ? -1 : 1;
            return rescale(Math.multiplyExact(q, p), 0, resultScale);
        }
        return rescale(rounded, d, resultScale);
    }

    // ---- casts ----------------------------------------------------------------------------

    public static long intToDecimal(long v, int scale, int precision) {
        long r;
        try {
            r = Math.multiplyExact(v, POW10[scale]);
        } catch (ArithmeticException e) {
            throw overflow("value " + v + " does not fit DECIMAL(" + precision + "," + scale + ")");
        }
        return checkPrecision(r, scale, precision);
    }

    public static long checkPrecision(long unscaled, int scale, int precision) {
        if (precision < 19 && Math.abs(unscaled) >= POW10[precision] || unscaled == Long.MIN_VALUE) {
            throw overflow("value " + BigDecimal.valueOf(unscaled, scale).toPlainString() + " does not fit DECIMAL(" + precision + "," + scale + ")");
        }
        return unscaled;
    }

    public static long rescaleChecked(long v, int from, int to, int precision) {
        long r;
        try {
            r = rescale(v, from, to);
        } catch (ArithmeticException e) {
            throw overflow("value " + BigDecimal.valueOf(v, from).toPlainString() + " does not fit DECIMAL(" + precision + "," + to + ")");
        }
        return checkPrecision(r, to, precision);
    }

    /** DECIMAL → integer, rounding HALF_UP (away from zero on .5) as PostgreSQL and DuckDB. */
    public static long decimalToLong(long v, int scale, int bits) {
        return checkRange(rescale(v, scale, 0), bits);
    }

    public static double decimalToDouble(long v, int scale) {
        return scale == 0 ? (double) v : v / (double) POW10[scale];
    }

    public static long doubleToDecimal(double d, int scale, int precision) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new KilnException("cannot cast " + d + " to DECIMAL(" + precision + "," + scale + ")");
        BigDecimal r = new BigDecimal(d).setScale(scale, RoundingMode.HALF_UP);
        try {
            return checkPrecision(r.unscaledValue().longValueExact(), scale, precision);
        } catch (ArithmeticException e) {
            throw overflow("value " + d + " does not fit DECIMAL(" + precision + "," + scale + ")");
        }
    }

    public static long doubleToLong(double d, int bits) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new KilnException("cannot cast " + d + " to " + bitsName(bits));
        double r = d < 0 ? -Math.floor(-d + 0.5) : Math.floor(d + 0.5);
        if (r < -9.223372036854775808E18 || r >= 9.223372036854775808E18) throw overflow(bitsName(bits) + " value " + d);
        return checkRange((long) r, bits);
    }

    public static String text(MemorySegment seg, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static KilnException badText(MemorySegment seg, long off, int len, String type) {
        return new KilnException("invalid input for CAST to " + type + ": '" + text(seg, off, len) + "'");
    }

    public static long parseLong(MemorySegment seg, long off, int len, int bits) {
        try {
            return checkRange(Long.parseLong(text(seg, off, len).strip()), bits);
        } catch (NumberFormatException e) {
            throw badText(seg, off, len, bitsName(bits));
        }
    }

    public static double parseDouble(MemorySegment seg, long off, int len) {
        try {
            return Double.parseDouble(text(seg, off, len).strip());
        } catch (NumberFormatException e) {
            throw badText(seg, off, len, "DOUBLE");
        }
    }

    public static long parseDecimal(MemorySegment seg, long off, int len, int precision, int scale) {
        try {
            BigDecimal d = new BigDecimal(text(seg, off, len).strip()).setScale(scale, RoundingMode.HALF_UP);
            return checkPrecision(d.unscaledValue().longValueExact(), scale, precision);
        } catch (NumberFormatException | ArithmeticException e) {
            throw badText(seg, off, len, "DECIMAL(" + precision + "," + scale + ")");
        }
    }

    public static int parseDate(MemorySegment seg, long off, int len) {
        try {
            return Math.toIntExact(LocalDate.parse(text(seg, off, len).strip()).toEpochDay());
        } catch (RuntimeException e) {
            throw badText(seg, off, len, "DATE");
        }
    }

    public static long parseTimestamp(MemorySegment seg, long off, int len) {
        try {
            String t = text(seg, off, len).strip().replace(' ', 'T');
            return t.length() == 10 ? LocalDate.parse(t).toEpochDay() * 86_400_000_000L : Literals.micros(LocalDateTime.parse(t));
        } catch (RuntimeException e) {
            throw badText(seg, off, len, "TIMESTAMP");
        }
    }

    public static boolean parseBoolean(MemorySegment seg, long off, int len) {
        String t = text(seg, off, len).strip().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "true", "t", "yes", "y", "1" -> true;
            case "false", "f", "no", "n", "0" -> false;
            default -> throw badText(seg, off, len, "BOOLEAN");
        };
    }

    public static byte[] formatLong(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] formatDouble(double v) {
        return Double.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] formatDecimal(long v, int scale) {
        return BigDecimal.valueOf(v, scale).toPlainString().getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] formatDate(int days) {
        return LocalDate.ofEpochDay(days).toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] formatTimestamp(long micros) {
        return dev.kiln.runtime.fn.DateTimes.formatTimestamp(micros).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] formatBoolean(boolean v) {
        return (v ? "true" : "false").getBytes(StandardCharsets.US_ASCII);
    }

    // ---- strings --------------------------------------------------------------------------

    /** Byte offset after skipping {@code codePoints} UTF-8 code points from {@code off}, bounded by end. */
    private static long skipCodePoints(MemorySegment seg, long off, long end, long codePoints) {
        long p = off;
        while (codePoints > 0 && p < end) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, p);
            p += (b & 0x80) == 0 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
            codePoints--;
        }
        return Math.min(p, end);
    }

    /** SUBSTRING(s FROM start): packed (relative byte start << 32 | byte length). */
    public static long substring(MemorySegment seg, long off, int len, long start) {
        long from = Math.max(start, 1) - 1;
        long s = skipCodePoints(seg, off, off + len, from);
        return ((s - off) << 32) | (off + len - s);
    }

    /** SUBSTRING(s FROM start FOR count) with SQL rules: the window [start, start + count) clipped to the string. */
    public static long substring(MemorySegment seg, long off, int len, long start, long count) {
        if (count < 0) throw new KilnException("negative substring length " + count + " is not allowed");
        long endPos = start + count; // exclusive, 1-based
        long from = Math.max(start, 1);
        if (endPos <= from) return 0;
        long s = skipCodePoints(seg, off, off + len, from - 1);
        long e = skipCodePoints(seg, s, off + len, endPos - from);
        return ((s - off) << 32) | (e - s);
    }

    public static long trim(MemorySegment seg, long off, int len) {
        long s = off;
        long e = off + len;
        while (s < e && seg.get(ValueLayout.JAVA_BYTE, s) == ' ') s++;
        while (e > s && seg.get(ValueLayout.JAVA_BYTE, e - 1) == ' ') e--;
        return ((s - off) << 32) | (e - s);
    }

    public static int charLength(MemorySegment seg, long off, int len) {
        int n = 0;
        for (long p = off; p < off + len; p++) {
            if ((seg.get(ValueLayout.JAVA_BYTE, p) & 0xC0) != 0x80) n++;
        }
        return n;
    }

    public static byte[] concat(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        byte[] r = new byte[aLen + bLen];
        MemorySegment.copy(a, ValueLayout.JAVA_BYTE, aOff, r, 0, aLen);
        MemorySegment.copy(b, ValueLayout.JAVA_BYTE, bOff, r, aLen, bLen);
        return r;
    }

    public static byte[] upper(MemorySegment seg, long off, int len) {
        return text(seg, off, len).toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] lower(MemorySegment seg, long off, int len) {
        return text(seg, off, len).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    // ---- calendar (proleptic Gregorian, days since 1970-01-01) --------------------------------

    /** Year of a day number, without allocating (civil-from-days). */
    public static long extractYear(int days) {
        long z = days + 719468L;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return yoe + era * 400 + (m <= 2 ? 1 : 0);
    }

    public static long extractMonth(int days) {
        long z = days + 719468L;
        long doe = z - Math.floorDiv(z, 146097) * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        return mp < 10 ? mp + 3 : mp - 9;
    }

    public static long extractDay(int days) {
        long z = days + 719468L;
        long doe = z - Math.floorDiv(z, 146097) * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        return doy - (153 * mp + 2) / 5 + 1;
    }

    public static long extractQuarter(int days) {
        return (extractMonth(days) - 1) / 3 + 1;
    }

    /** Day of week, Sunday = 0 (1970-01-01 was a Thursday). */
    public static long extractDow(int days) {
        return Math.floorMod(days + 4L, 7);
    }

    public static long extractDoy(int days) {
        return LocalDate.ofEpochDay(days).getDayOfYear();
    }

    public static int daysOf(long micros) {
        return Math.toIntExact(Math.floorDiv(micros, 86_400_000_000L));
    }

    public static long extractHour(long micros) {
        return Math.floorMod(micros, 86_400_000_000L) / 3_600_000_000L;
    }

    public static long extractMinute(long micros) {
        return Math.floorMod(micros, 3_600_000_000L) / 60_000_000L;
    }

    public static long extractSecond(long micros) {
        return Math.floorMod(micros, 60_000_000L) / 1_000_000L;
    }

    public static int addMonths(int days, int months) {
        return Math.toIntExact(LocalDate.ofEpochDay(days).plusMonths(months).toEpochDay());
    }

    /** HOP_START: the start of the j-th sliding window (latest first) that holds micros. */
    public static long hopStart(long micros, long slide, long j) {
        return Math.subtractExact(timeBucket(micros, slide), Math.multiplyExact(j, slide));
    }

    /** TIME_BUCKET: the start of the width-long interval from the epoch that holds micros. */
    public static long timeBucket(long micros, long width) {
        if (width <= 0) throw new dev.kiln.ir.KilnException("time_bucket width must be positive, not " + width + " microseconds");
        return micros - Math.floorMod(micros, width);
    }

    public static long addMonthsTs(long micros, int months) {
        return Literals.micros(Literals.fromMicros(micros).plusMonths(months));
    }
}
