package dev.kiln.runtime.fn;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * DATE (int days since 1970-01-01) and TIMESTAMP (long microseconds since 1970-01-01T00:00, no
 * zone) in the proleptic Gregorian calendar. Field extraction and month arithmetic use Howard
 * Hinnant's civil-from-days arithmetic, so the hot paths allocate nothing (no LocalDate).
 */
public final class DateTimes {
    private DateTimes() {}

    public static final long MICROS_PER_SECOND = 1_000_000L;
    public static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    public static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    public static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    // ---- civil calendar ---------------------------------------------------------------------

    /** (year << 9) | (month << 5) | day of a day number. */
    private static long civil(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;                                   // [0, 146096]
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           // [0, 365], March-based
        long mp = (5 * doy + 2) / 153;                                 // [0, 11]
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return (y << 9) | (m << 5) | d;
    }

    /** Day number of a civil date (month 1..12, day 1..31; not validated). */
    public static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    public static boolean isLeapYear(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    public static int lengthOfMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    // ---- EXTRACT on DATE --------------------------------------------------------------------

    public static long extractYear(int days) {
        return civil(days) >> 9;
    }

    public static long extractMonth(int days) {
        return (civil(days) >> 5) & 15;
    }

    public static long extractDay(int days) {
        return civil(days) & 31;
    }

    public static long extractQuarter(int days) {
        return (extractMonth(days) + 2) / 3;
    }

    /** Day of week, Sunday = 0 … Saturday = 6 (as PostgreSQL and DuckDB); 1970-01-01 was a Thursday. */
    public static long extractDow(int days) {
        return Math.floorMod(days + 4L, 7);
    }

    /** Day of year, 1..366. */
    public static long extractDoy(int days) {
        return days - daysFromCivil(extractYear(days), 1, 1) + 1;
    }

    // ---- EXTRACT on TIMESTAMP ---------------------------------------------------------------

    /** The DATE of a TIMESTAMP (floor, so times before 1970 land on the right day). */
    public static int daysOf(long micros) {
        return (int) Math.floorDiv(micros, MICROS_PER_DAY); // |micros| / day < 2^31 always
    }

    public static long extractYearTs(long micros) {
        return extractYear(daysOf(micros));
    }

    public static long extractQuarterTs(long micros) {
        return extractQuarter(daysOf(micros));
    }

    public static long extractMonthTs(long micros) {
        return extractMonth(daysOf(micros));
    }

    public static long extractDayTs(long micros) {
        return extractDay(daysOf(micros));
    }

    public static long extractDowTs(long micros) {
        return extractDow(daysOf(micros));
    }

    public static long extractDoyTs(long micros) {
        return extractDoy(daysOf(micros));
    }

    public static long extractHour(long micros) {
        return Math.floorMod(micros, MICROS_PER_DAY) / MICROS_PER_HOUR;
    }

    public static long extractMinute(long micros) {
        return Math.floorMod(micros, MICROS_PER_HOUR) / MICROS_PER_MINUTE;
    }

    /** Whole seconds 0..59 (EXTRACT returns BIGINT in Kiln, see ir/expr/package-info). */
    public static long extractSecond(long micros) {
        return Math.floorMod(micros, MICROS_PER_MINUTE) / MICROS_PER_SECOND;
    }

    // ---- arithmetic -------------------------------------------------------------------------

    /** date + INTERVAL n MONTH: the day clamps to the end of a shorter month (Jan 31 + 1 month = Feb 28/29). */
    public static int addMonths(int days, int months) {
        long c = civil(days);
        long total = (c >> 9) * 12 + ((c >> 5) & 15) - 1 + months;
        long y = Math.floorDiv(total, 12);
        int m = (int) Math.floorMod(total, 12) + 1;
        int d = (int) Math.min(c & 31, lengthOfMonth(y, m));
        long r = daysFromCivil(y, m, d);
        if (r != (int) r) throw SqlErrors.overflow("DATE", formatDate(days) + " + " + months + " months");
        return (int) r;
    }

    public static long addMonthsTs(long micros, int months) {
        long r = addMonths(daysOf(micros), months) * MICROS_PER_DAY + Math.floorMod(micros, MICROS_PER_DAY);
        return r;
    }

    public static long dateToTimestamp(int days) {
        return days * MICROS_PER_DAY;
    }

    // ---- java.time bridges (results, literals, tests) -----------------------------------------

    public static LocalDate toLocalDate(int days) {
        return LocalDate.ofEpochDay(days);
    }

    public static int fromLocalDate(LocalDate d) {
        long days = d.toEpochDay();
        if (days != (int) days) throw new KilnException("date " + d + " is out of the DATE range");
        return (int) days;
    }

    public static LocalDateTime toLocalDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }

    /** Sub-microsecond digits are truncated (TIMESTAMP has microsecond precision). */
    public static long fromLocalDateTime(LocalDateTime t) {
        try {
            return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), MICROS_PER_SECOND), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            throw new KilnException("timestamp " + t + " is out of the TIMESTAMP range");
        }
    }

    // ---- text -------------------------------------------------------------------------------

    /** ISO yyyy-mm-dd, as LocalDate prints it (years past 9999 get a '+'). */
    public static String formatDate(int days) {
        StringBuilder sb = new StringBuilder(10);
        appendDate(sb, days);
        return sb.toString();
    }

    private static void appendDate(StringBuilder sb, int days) {
        long c = civil(days);
        long y = c >> 9;
        if (Math.abs(y) < 1000) {
            if (y < 0) sb.append('-');
            long a = Math.abs(y);
            sb.append((char) ('0' + a / 1000)).append((char) ('0' + a / 100 % 10)).append((char) ('0' + a / 10 % 10)).append((char) ('0' + a % 10));
        } else {
            if (y > 9999) sb.append('+');
            sb.append(y);
        }
        sb.append('-');
        two(sb, (c >> 5) & 15);
        sb.append('-');
        two(sb, c & 31);
    }

    private static void two(StringBuilder sb, long v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** yyyy-mm-dd hh:mm:ss[.ffffff] with trailing zeros of the fraction dropped (as PostgreSQL and DuckDB). */
    public static String formatTimestamp(long micros) {
        StringBuilder sb = new StringBuilder(26);
        appendDate(sb, daysOf(micros));
        long t = Math.floorMod(micros, MICROS_PER_DAY);
        sb.append(' ');
        two(sb, t / MICROS_PER_HOUR);
        sb.append(':');
        two(sb, t / MICROS_PER_MINUTE % 60);
        sb.append(':');
        two(sb, t / MICROS_PER_SECOND % 60);
        long f = t % MICROS_PER_SECOND;
        if (f != 0) {
            sb.append('.');
            int digits = 6;
            while (f % 10 == 0) {
                f /= 10;
                digits--;
            }
            String s = Long.toString(f);
            for (int i = s.length(); i < digits; i++) sb.append('0');
            sb.append(s);
        }
        return sb.toString();
    }

    /** ISO yyyy-mm-dd (month and day may have one digit; blanks around it allowed); anything else is an error naming the text. */
    public static int parseDate(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parseDate(MemorySegment.ofArray(b), 0, b.length);
    }

    public static int parseDate(MemorySegment seg, long off, int len) {
        long s = skipBlanks(seg, off, off + len);
        long e = trimBlanks(seg, s, off + len);
        return dateRegion(seg, s, e, off, len, "DATE");
    }

    /** yyyy-mm-dd[( |T)hh:mm[:ss[.fraction]]]; fractions beyond microseconds round HALF_UP. */
    public static long parseTimestamp(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parseTimestamp(MemorySegment.ofArray(b), 0, b.length);
    }

    public static long parseTimestamp(MemorySegment seg, long off, int len) {
        long s = skipBlanks(seg, off, off + len);
        long e = trimBlanks(seg, s, off + len);
        long sep = s + 1; // a leading sign is not a separator
        while (sep < e && seg.get(ValueLayout.JAVA_BYTE, sep) != ' ' && seg.get(ValueLayout.JAVA_BYTE, sep) != 'T') sep++;
        long days = dateRegion(seg, s, Math.min(sep, e), off, len, "TIMESTAMP");
        if (sep >= e) return days * MICROS_PER_DAY;
        return days * MICROS_PER_DAY + timeRegion(seg, skipBlanks(seg, sep + 1, e), e, off, len);
    }

    private static int dateRegion(MemorySegment seg, long p, long end, long off, int len, String type) {
        boolean negative = false;
        if (p < end && (seg.get(ValueLayout.JAVA_BYTE, p) == '-' || seg.get(ValueLayout.JAVA_BYTE, p) == '+')) {
            negative = seg.get(ValueLayout.JAVA_BYTE, p) == '-';
            p++;
        }
        long y = 0;
        int n = 0;
        for (; p < end && isDigit(seg, p) && n < 10; p++, n++) y = y * 10 + digit(seg, p);
        if (n < 4 || n > 9) throw bad(seg, off, len, type, "expected a year of 4 to 9 digits, then -mm-dd");
        if (negative) y = -y;
        if (p >= end || seg.get(ValueLayout.JAVA_BYTE, p) != '-') throw bad(seg, off, len, type, "expected '-' after the year");
        p++;
        int m = 0;
        for (n = 0; p < end && isDigit(seg, p) && n < 3; p++, n++) m = m * 10 + digit(seg, p);
        if (n < 1 || n > 2) throw bad(seg, off, len, type, "expected a month of 1 or 2 digits");
        if (p >= end || seg.get(ValueLayout.JAVA_BYTE, p) != '-') throw bad(seg, off, len, type, "expected '-' after the month");
        p++;
        int d = 0;
        for (n = 0; p < end && isDigit(seg, p) && n < 3; p++, n++) d = d * 10 + digit(seg, p);
        if (n < 1 || n > 2) throw bad(seg, off, len, type, "expected a day of 1 or 2 digits");
        if (p != end) throw bad(seg, off, len, type, "unexpected characters after the date");
        if (m < 1 || m > 12) throw bad(seg, off, len, type, "month " + m + " is out of range 1-12");
        if (d < 1 || d > lengthOfMonth(y, m)) throw bad(seg, off, len, type, "day " + d + " does not exist in that month");
        long days = daysFromCivil(y, m, d);
        if (days != (int) days) throw bad(seg, off, len, type, "the year is out of range");
        return (int) days;
    }

    private static long timeRegion(MemorySegment seg, long p, long end, long off, int len) {
        int h = 0, n;
        for (n = 0; p < end && isDigit(seg, p) && n < 3; p++, n++) h = h * 10 + digit(seg, p);
        if (n < 1 || n > 2 || h > 23) throw bad(seg, off, len, "TIMESTAMP", "expected an hour 0-23");
        if (p >= end || seg.get(ValueLayout.JAVA_BYTE, p) != ':') throw bad(seg, off, len, "TIMESTAMP", "expected ':' after the hour");
        p++;
        int mi = 0;
        for (n = 0; p < end && isDigit(seg, p) && n < 3; p++, n++) mi = mi * 10 + digit(seg, p);
        if (n != 2 || mi > 59) throw bad(seg, off, len, "TIMESTAMP", "expected minutes 00-59");
        long micros = h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE;
        if (p < end && seg.get(ValueLayout.JAVA_BYTE, p) == ':') {
            p++;
            int sec = 0;
            for (n = 0; p < end && isDigit(seg, p) && n < 3; p++, n++) sec = sec * 10 + digit(seg, p);
            if (n != 2 || sec > 59) throw bad(seg, off, len, "TIMESTAMP", "expected seconds 00-59");
            micros += sec * MICROS_PER_SECOND;
            if (p < end && seg.get(ValueLayout.JAVA_BYTE, p) == '.') {
                p++;
                long frac = 0;
                int roundDigit = 0;
                for (n = 0; p < end && isDigit(seg, p) && n < 9; p++, n++) {
                    if (n < 6) frac = frac * 10 + digit(seg, p);
                    else if (n == 6) roundDigit = digit(seg, p);
                }
                if (n == 0) throw bad(seg, off, len, "TIMESTAMP", "expected digits after the decimal point");
                for (int k = n; k < 6; k++) frac *= 10;
                micros += frac + (roundDigit >= 5 ? 1 : 0);
            }
        }
        if (p != end) throw bad(seg, off, len, "TIMESTAMP", "unexpected characters after the time");
        return micros;
    }

    private static boolean isDigit(MemorySegment seg, long p) {
        byte b = seg.get(ValueLayout.JAVA_BYTE, p);
        return b >= '0' && b <= '9';
    }

    private static int digit(MemorySegment seg, long p) {
        return seg.get(ValueLayout.JAVA_BYTE, p) - '0';
    }

    private static KilnException bad(MemorySegment seg, long off, int len, String type, String why) {
        String shape = type.equals("DATE") ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm:ss[.ffffff]";
        return new KilnException("invalid " + type + " '" + Strings.toJavaString(seg, off, len) + "': " + why + " (expected " + shape + ")");
    }

    private static long skipBlanks(MemorySegment seg, long p, long end) {
        while (p < end && seg.get(ValueLayout.JAVA_BYTE, p) == ' ') p++;
        return p;
    }

    private static long trimBlanks(MemorySegment seg, long p, long end) {
        while (end > p && seg.get(ValueLayout.JAVA_BYTE, end - 1) == ' ') end--;
        return end;
    }
}
