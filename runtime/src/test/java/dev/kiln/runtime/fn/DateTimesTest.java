package dev.kiln.runtime.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** DateTimes against java.time as the oracle. */
class DateTimesTest {
    /** Any int day number, and a denser property around the years people use. */
    @Property(tries = 3000)
    void dateFieldsAgreeWithJavaTime(@ForAll int anyDay, @ForAll @IntRange(min = -800_000, max = 800_000) int nearDay) {
        for (int days : new int[] {anyDay, nearDay}) {
            LocalDate d = LocalDate.ofEpochDay(days);
            assertEquals(d.getYear(), DateTimes.extractYear(days), d.toString());
            assertEquals(d.getMonthValue(), DateTimes.extractMonth(days), d.toString());
            assertEquals(d.getDayOfMonth(), DateTimes.extractDay(days), d.toString());
            assertEquals((d.getMonthValue() - 1) / 3 + 1, DateTimes.extractQuarter(days), d.toString());
            assertEquals(d.getDayOfWeek().getValue() % 7, DateTimes.extractDow(days), d.toString());
            assertEquals(d.getDayOfYear(), DateTimes.extractDoy(days), d.toString());
            assertEquals(days, DateTimes.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
            assertEquals(d.toString(), DateTimes.formatDate(days));
            assertEquals(d, DateTimes.toLocalDate(days));
            assertEquals(days, DateTimes.fromLocalDate(d));
            if (Math.abs(d.getYear()) <= 999_999_999 && d.getYear() >= -999_999_999) {
                assertEquals(days, DateTimes.parseDate(DateTimes.formatDate(days)), d.toString());
            }
        }
    }

    @Property(tries = 3000)
    void addMonthsClampsLikeJavaTime(@ForAll @IntRange(min = -800_000, max = 800_000) int days, @ForAll @IntRange(min = -30_000, max = 30_000) int months) {
        LocalDate d = LocalDate.ofEpochDay(days);
        assertEquals(d.plusMonths(months).toEpochDay(), DateTimes.addMonths(days, months), d + " + " + months + " months");
    }

    @Property(tries = 3000)
    void timestampsAgreeWithJavaTime(@ForAll @LongRange(min = -300_000_000_000_000_000L, max = 300_000_000_000_000_000L) long micros,
            @ForAll @IntRange(min = -2400, max = 2400) int months) {
        LocalDateTime t = LocalDateTime.of(1970, 1, 1, 0, 0).plus(micros, ChronoUnit.MICROS);
        assertEquals(t, DateTimes.toLocalDateTime(micros));
        assertEquals(micros, DateTimes.fromLocalDateTime(t));
        assertEquals(t.getYear(), DateTimes.extractYearTs(micros));
        assertEquals(t.getMonthValue(), DateTimes.extractMonthTs(micros));
        assertEquals(t.getDayOfMonth(), DateTimes.extractDayTs(micros));
        assertEquals((t.getMonthValue() + 2) / 3, DateTimes.extractQuarterTs(micros));
        assertEquals(t.getDayOfWeek().getValue() % 7, DateTimes.extractDowTs(micros));
        assertEquals(t.getDayOfYear(), DateTimes.extractDoyTs(micros));
        assertEquals(t.getHour(), DateTimes.extractHour(micros));
        assertEquals(t.getMinute(), DateTimes.extractMinute(micros));
        assertEquals(t.getSecond(), DateTimes.extractSecond(micros));
        assertEquals(t.toLocalDate().toEpochDay(), DateTimes.daysOf(micros));
        assertEquals(DateTimes.fromLocalDateTime(t.plusMonths(months)), DateTimes.addMonthsTs(micros, months));
        String text = reference(t);
        assertEquals(text, DateTimes.formatTimestamp(micros));
        assertEquals(micros, DateTimes.parseTimestamp(text));
    }

    /** yyyy-mm-dd hh:mm:ss[.fraction without trailing zeros], built from java.time fields. */
    private static String reference(LocalDateTime t) {
        String s = t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        if (t.getNano() == 0) return s;
        String f = String.format("%06d", t.getNano() / 1000).replaceAll("0+$", "");
        return s + "." + f;
    }

    @Test
    void knownValues() {
        assertEquals(0, DateTimes.parseDate("1970-01-01"));
        assertEquals(LocalDate.of(1998, 12, 1).toEpochDay(), DateTimes.parseDate(" 1998-12-01 "));
        assertEquals(LocalDate.of(2024, 2, 5).toEpochDay(), DateTimes.parseDate("2024-2-5"));
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), DateTimes.addMonths((int) LocalDate.of(2024, 1, 31).toEpochDay(), 1));
        assertEquals(LocalDate.of(2023, 2, 28).toEpochDay(), DateTimes.addMonths((int) LocalDate.of(2024, 2, 29).toEpochDay(), -12));
        assertEquals(4, DateTimes.extractDow(0)); // Thursday
        assertEquals(0, DateTimes.extractDow((int) LocalDate.of(2024, 6, 2).toEpochDay())); // a Sunday
        assertEquals("1969-12-31 23:59:59.999999", DateTimes.formatTimestamp(-1));
        assertEquals("2020-01-01 00:00:00", DateTimes.formatTimestamp(DateTimes.parseTimestamp("2020-01-01")));
        assertEquals(DateTimes.parseTimestamp("2020-01-01 10:20:30.5"), DateTimes.parseTimestamp("2020-01-01T10:20:30.500000"));
        assertEquals(DateTimes.parseTimestamp("2020-01-01 10:20:30.000002"), DateTimes.parseTimestamp("2020-01-01 10:20:30.0000015"));
        assertEquals(DateTimes.parseTimestamp("2020-01-01 10:20:00"), DateTimes.parseTimestamp("2020-01-01 10:20"));
        assertEquals(-4, DateTimes.parseDate("-0001-12-31") - DateTimes.parseDate("0000-01-04"));
    }

    @Test
    void badTextSaysWhatIsWrong() {
        assertEquals("invalid DATE '2021-02-29': day 29 does not exist in that month (expected yyyy-mm-dd)",
                assertThrows(KilnException.class, () -> DateTimes.parseDate("2021-02-29")).getMessage());
        assertEquals("invalid DATE '2021-13-01': month 13 is out of range 1-12 (expected yyyy-mm-dd)",
                assertThrows(KilnException.class, () -> DateTimes.parseDate("2021-13-01")).getMessage());
        assertEquals("invalid DATE 'yesterday': expected a year of 4 to 9 digits, then -mm-dd (expected yyyy-mm-dd)",
                assertThrows(KilnException.class, () -> DateTimes.parseDate("yesterday")).getMessage());
        assertEquals("invalid DATE '2021-01-01x': unexpected characters after the date (expected yyyy-mm-dd)",
                assertThrows(KilnException.class, () -> DateTimes.parseDate("2021-01-01x")).getMessage());
        assertEquals("invalid TIMESTAMP '2021-01-01 25:00': expected an hour 0-23 (expected yyyy-mm-dd hh:mm:ss[.ffffff])",
                assertThrows(KilnException.class, () -> DateTimes.parseTimestamp("2021-01-01 25:00")).getMessage());
        assertEquals("invalid TIMESTAMP '2021-01-01 10:00:00.': expected digits after the decimal point (expected yyyy-mm-dd hh:mm:ss[.ffffff])",
                assertThrows(KilnException.class, () -> DateTimes.parseTimestamp("2021-01-01 10:00:00.")).getMessage());
        assertThrows(KilnException.class, () -> DateTimes.parseDate(""));
        assertThrows(KilnException.class, () -> DateTimes.addMonths(Integer.MAX_VALUE - 10, 1));
    }
}
