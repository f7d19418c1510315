package dev.kiln.connectors.json;

/**
 * DATE and TIMESTAMP text (the unescaped bytes of a JSON string) to Kiln's representations:
 * days and microseconds since 1970-01-01, proleptic Gregorian calendar, years 0000 to 9999.
 * Arithmetic on the bytes, no java.time objects, because event times are on the hot path.
 */
final class JsonTime {
    private JsonTime() {}

    static final String DATE_SHAPE = "expected \"YYYY-MM-DD\"";
    static final String TIMESTAMP_SHAPE = "expected \"YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+HH:MM]\" or epoch milliseconds";

    /** Why a string is not a value of the type; no stack trace (it becomes a bad record's reason). */
    static final class BadValue extends Exception {
        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    static int date(byte[] a, int off, int len) throws BadValue {
        if (len != 10) throw new BadValue(DATE_SHAPE);
        return date(a, off, DATE_SHAPE);
    }

    /** Micros since the epoch, in UTC: an offset is subtracted, {@code Z} or none means UTC already. */
    static long timestamp(byte[] a, int off, int len) throws BadValue {
        if (len < 10) throw new BadValue(TIMESTAMP_SHAPE);
        long seconds = date(a, off, TIMESTAMP_SHAPE) * 86_400L;
        int i = off + 10, end = off + len;
        long micros = 0;
        if (i < end) {
            if ((a[i] != 'T' && a[i] != ' ') || end - i < 9 || a[i + 3] != ':' || a[i + 6] != ':') throw new BadValue(TIMESTAMP_SHAPE);
            int h = digits(a, i + 1, 2), m = digits(a, i + 4, 2), s = digits(a, i + 7, 2);
            if (h < 0 || m < 0 || s < 0) throw new BadValue(TIMESTAMP_SHAPE);
            if (h > 23 || m > 59 || s > 59) throw new BadValue("no such time of day");
            seconds += h * 3600 + m * 60 + s;
            i += 9;
            if (i < end && a[i] == '.') {
                int n = 0, f = 0;
                for (i++; i < end && a[i] >= '0' && a[i] <= '9'; i++, n++) {
                    if (n == 6) throw new BadValue("more than 6 digits of fractional seconds (Kiln keeps microseconds)");
                    f = f * 10 + a[i] - '0';
                }
                if (n == 0) throw new BadValue(TIMESTAMP_SHAPE);
                for (int k = n; k < 6; k++) f *= 10;
                micros = f;
            }
            if (i < end && a[i] == 'Z') {
                i++;
            } else if (i < end && (a[i] == '+' || a[i] == '-')) {
                if (end - i != 6 || a[i + 3] != ':') throw new BadValue(TIMESTAMP_SHAPE);
                int oh = digits(a, i + 1, 2), om = digits(a, i + 4, 2);
                if (oh < 0 || om < 0) throw new BadValue(TIMESTAMP_SHAPE);
                if (oh > 18 || om > 59) throw new BadValue("no such time zone offset");
                seconds -= (a[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
                i += 6;
            }
            if (i != end) throw new BadValue(TIMESTAMP_SHAPE);
        }
        return seconds * 1_000_000L + micros;
    }

    private static int date(byte[] a, int off, String shape) throws BadValue {
        if (a[off + 4] != '-' || a[off + 7] != '-') throw new BadValue(shape);
        int y = digits(a, off, 4), m = digits(a, off + 5, 2), d = digits(a, off + 8, 2);
        if (y < 0 || m < 0 || d < 0) throw new BadValue(shape);
        if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new BadValue("no such day");
        return epochDay(y, m, d);
    }

    /** The value of n decimal digits, or -1 if one is not a digit. */
    private static int digits(byte[] a, int off, int n) {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    static int daysInMonth(int y, int m) {
        if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    /** Days from 1970-01-01 (the civil-from-days inverse: March-based years, 400-year eras). */
    static int epochDay(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Writes epoch day {@code day} as YYYY-MM-DD at b[p]; returns the end, or -1 if the year is not 0000 to 9999. */
    static int writeDate(long day, byte[] b, int p) {
        // days-from-civil inverted: shift to 0000-03-01, split into 400-year eras
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        if (y < 0 || y > 9999) return -1;
        put(b, p, (int) y, 4);
        b[p + 4] = '-';
        put(b, p + 5, m, 2);
        b[p + 7] = '-';
        put(b, p + 8, d, 2);
        return p + 10;
    }

    /** Writes micros as YYYY-MM-DDTHH:MM:SS, plus .ffffff when not a whole second; -1 as {@link #writeDate}. */
    static int writeTimestamp(long micros, byte[] b, int p) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        long day = Math.floorDiv(seconds, 86_400L);
        int time = (int) Math.floorMod(seconds, 86_400L);
        p = writeDate(day, b, p);
        if (p < 0) return -1;
        b[p] = 'T';
        put(b, p + 1, time / 3600, 2);
        b[p + 3] = ':';
        put(b, p + 4, time / 60 % 60, 2);
        b[p + 6] = ':';
        put(b, p + 7, time % 60, 2);
        p += 9;
        if (fraction != 0) {
            b[p] = '.';
            put(b, p + 1, fraction, 6);
            p += 7;
        }
        return p;
    }

    private static void put(byte[] b, int p, int v, int digits) {
        for (int i = p + digits - 1; i >= p; i--, v /= 10) b[i] = (byte) ('0' + v % 10);
    }
}
