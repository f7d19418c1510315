package dev.kiln.connectors.json;

import static dev.kiln.connectors.json.JsonTestSupport.bad;
import static dev.kiln.connectors.json.JsonTestSupport.f;
import static dev.kiln.connectors.json.JsonTestSupport.good;
import static dev.kiln.connectors.json.JsonTestSupport.notNull;
import static dev.kiln.connectors.json.JsonTestSupport.row;
import static dev.kiln.connectors.json.JsonTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesReaderTest {
    static final Schema ALL = Schema.of(
            f("b", DataType.BOOLEAN), f("i8", DataType.TINYINT), f("i16", DataType.SMALLINT), f("i32", DataType.INTEGER),
            f("i64", DataType.BIGINT), f("dec", DataType.decimal(7, 2)), f("d", DataType.DOUBLE), f("day", DataType.DATE),
            f("ts", DataType.TIMESTAMP), f("s", DataType.VARCHAR));

    static Schema one(DataType type) {
        return Schema.of(f("v", type));
    }

    static Object value(DataType type, String json) {
        List<List<Object>> rows = good(one(type), "{\"v\":" + json + "}\n");
        assertEquals(1, rows.size());
        return rows.getFirst().getFirst();
    }

    static String reason(DataType type, String json) {
        List<String> bad = bad(one(type), "{\"v\":" + json + "}");
        assertEquals(1, bad.size(), () -> "expected one bad record for " + json + ", got " + bad);
        return bad.getFirst();
    }

    /**
     * Strings are scanned a vector (16 or 32 bytes) or a word at a time: an escape, a non-ASCII
     * character or a control character at every offset of strings of every length up to past two
     * steps, with lines after them so that a step reads into the next line, and lines at the
     * region's end where the word loop takes over.
     */
    @Test
    void specialBytesAtEveryOffsetOfAString() {
        Schema s = Schema.of(f("k", DataType.INTEGER), f("v", DataType.VARCHAR));
        String[][] specials = {{"\\\"", "\""}, {"\\\\", "\\"}, {"\\n", "\n"}, {"\\u00e9", "é"}, {"é", "é"}, {"€", "€"},
                {"\\ud83d\\ude00", "\ud83d\ude00"}};
        for (int length = 0; length <= 70; length++) {
            StringBuilder text = new StringBuilder();
            List<List<Object>> expected = new java.util.ArrayList<>();
            int k = 0;
            for (int at = 0; at <= length; at++) {
                for (String[] sp : specials) {
                    String plain = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3);
                    String json = plain.substring(0, at) + sp[0] + plain.substring(at, length);
                    text.append("{\"k\":").append(k).append(",\"v\":\"").append(json).append("\"}\n");
                    expected.add(row((long) k++, plain.substring(0, at) + sp[1] + plain.substring(at, length)));
                }
            }
            assertEquals(expected, good(s, text.toString()), "strings of " + length + " plain bytes");
            for (int at = 0; at <= length; at++) {
                String plain = "x".repeat(length);
                String line = "{\"k\":1,\"v\":\"" + plain.substring(0, at) + "\u0001" + plain.substring(at) + "\"}\n{\"k\":2,\"v\":\"ok\"}\n";
                List<String> bad = bad(s, line);
                assertEquals(1, bad.size(), line);
                assertTrue(bad.getFirst().contains("control character U+0001") && bad.getFirst().contains("column " + (13 + at)), bad.getFirst());
            }
        }
    }

    @Test
    void everyTypeReadsItsValue() {
        String line = "{\"b\":true,\"i8\":-8,\"i16\":1600,\"i32\":-32000000,\"i64\":6400000000000,\"dec\":12345.67,\"d\":2.5e-3,"
                + "\"day\":\"2024-02-29\",\"ts\":\"2024-02-29T23:59:58.000123\",\"s\":\"héllo\"}\n";
        assertEquals(List.of(row(true, -8L, 1600L, -32000000L, 6400000000000L, new BigDecimal("12345.67"), 0.0025,
                LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_000), "héllo")), good(ALL, line));
    }

    @Test
    void fieldsMayComeInAnyOrderWithWhitespace() {
        String text = "{\"s\":\"x\",\"b\":false}\n  { \"i8\" : 1 ,\t\"s\" : \"y\" }  \n";
        List<List<Object>> rows = good(ALL, text);
        assertEquals(row(false, null, null, null, null, null, null, null, null, "x"), rows.get(0));
        assertEquals(row(null, 1L, null, null, null, null, null, null, null, "y"), rows.get(1));
    }

    @Test
    void nullAndMissingAreNullInNullableColumns() {
        Schema s = Schema.of(f("a", DataType.BIGINT), f("b", DataType.VARCHAR), f("c", DataType.DATE));
        assertEquals(List.of(row(null, null, null), row(1L, null, null), row(null, "x", null), row(null, null, null)),
                good(s, "{\"a\":null,\"b\":null,\"c\":null}\n{\"a\":1}\n{\"b\":\"x\",\"c\":null}\n{}\n"));
    }

    @Test
    void nullOrMissingInANotNullColumnIsABadRecord() {
        Schema s = Schema.of(notNull("id", DataType.BIGINT), f("name", DataType.VARCHAR));
        assertEquals(List.of(
                "t.json:1: field 'id': null in a NOT NULL column at column 7",
                "t.json:2: field 'id' is missing and the column is NOT NULL at column 12"),
                bad(s, "{\"id\":null}\n{\"name\":\"x\"}\n{\"id\":3}\n"));
        assertEquals(List.of(row(3L, null)), good(s, "{\"id\":3}"));
    }

    @Test
    void unknownFieldsAreSkippedWhateverTheyHold() {
        Schema s = Schema.of(f("a", DataType.BIGINT), f("z", DataType.VARCHAR));
        String text = "{\"x\":{\"y\":[1,{\"q\":\"}]\\\"{[\"},[],{}],\"w\":null},\"a\":7,\"arr\":[[[\"a\",true,false,null,-1.5e3]]],"
                + "\"e\":\"\\u0041\\n\",\"t\":true,\"n\":null,\"num\":-0.0,\"z\":\"end\"}\n";
        assertEquals(List.of(row(7L, "end")), good(s, text));
    }

    @Test
    void invalidJsonInsideASkippedValueIsStillABadRecord() {
        Schema s = Schema.of(f("a", DataType.BIGINT));
        assertEquals(List.of(
                "t.json:1: expected a JSON value, found '}' at column 15",
                "t.json:2: expected a JSON value, found ']' at column 12",
                "t.json:3: invalid number 01 (a leading zero) at column 6",
                "t.json:4: invalid literal nul (expected null) at column 7"),
                bad(s, "{\"a\":1,\"x\":[1,}\n{\"a\":1,\"x\":]}\n{\"x\":01}\n{\"x\":[nul]}\n"));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(600);
        assertEquals(List.of("t.json:1: nested more than 512 levels deep at column 518"), bad(one(DataType.BIGINT), "{\"x\":" + deep + "}"));
        String ok = "[".repeat(500) + "]".repeat(500);
        assertEquals(List.of(row(2L)), good(one(DataType.BIGINT), "{\"x\":" + ok + ",\"v\":2}"));
    }

    @Test
    void escapesAndUnicodeDecode() {
        assertEquals("q\"b\\s/\b\f\n\r\t", value(DataType.VARCHAR, "\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é€", value(DataType.VARCHAR, "\"\\u00e9\\u20AC\""));
        assertEquals("a😀b", value(DataType.VARCHAR, "\"a\\uD83D\\uDE00b\"")); // surrogate pair -> one 4-byte character
        assertEquals("😀𝄞 ü", value(DataType.VARCHAR, "\"😀𝄞 ü\"")); // raw 4-, 4- and 2-byte UTF-8
        assertEquals("\u0000", value(DataType.VARCHAR, "\"\\u0000\""));
        assertEquals("", value(DataType.VARCHAR, "\"\""));
        String longAscii = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(30);
        assertEquals(longAscii, value(DataType.VARCHAR, "\"" + longAscii + "\""));
        assertEquals(longAscii + "\n" + longAscii, value(DataType.VARCHAR, "\"" + longAscii + "\\n" + longAscii + "\""));
    }

    @Test
    void decodedStringsAreStoredAsUtf8Bytes() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch b = JsonTestSupport.read(one(DataType.VARCHAR), "{\"v\":\"\\uD83D\\uDE00\"}", mem);
            var v = b.batches().getFirst().column(0);
            assertEquals(4, v.stringLength(0));
            assertEquals((byte) 0xF0, v.heap().get(java.lang.foreign.ValueLayout.JAVA_BYTE, v.stringOffset(0)));
        }
    }

    @Test
    void badStringsAreBadRecords() {
        assertEquals("t.json:1: lone high surrogate \\uD83D\" (a \\uDC00-\\uDFFF escape must follow) at column 7", reason(DataType.VARCHAR, "\"\\uD83D\""));
        assertEquals("t.json:1: lone low surrogate \\uDE00\" (not preceded by a high surrogate) at column 7", reason(DataType.VARCHAR, "\"\\uDE00\""));
        assertEquals("t.json:1: invalid escape '\\x' at column 8", reason(DataType.VARCHAR, "\"a\\x\""));
        assertEquals("t.json:1: invalid \\u escape \\u12G4\" (four hex digits must follow) at column 7", reason(DataType.VARCHAR, "\"\\u12G4\""));
        assertEquals("t.json:1: unterminated string (the line ends inside it) at column 11", reason(DataType.VARCHAR, "\"abc"));
        assertEquals("t.json:1: control character U+0009 in a string (write it as an escape, e.g. \\u0009) at column 8", reason(DataType.VARCHAR, "\"a\tb\""));
        byte[] badUtf8 = {'{', '"', 'v', '"', ':', '"', 'a', (byte) 0xC3, '(', '"', '}'};
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<BadRecord> r = new JsonLinesReader(one(DataType.VARCHAR), BadRecordPolicy.SKIP_AND_REPORT).read(badUtf8, "u.json", mem).badRecords();
            assertEquals("invalid UTF-8 (byte 0xC3); the input must be UTF-8 at column 8", r.getFirst().reason());
        }
        byte[] surrogateUtf8 = {'{', '"', 'v', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}; // CESU, not UTF-8
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            assertEquals(1, new JsonLinesReader(one(DataType.VARCHAR), BadRecordPolicy.SKIP_AND_REPORT).read(surrogateUtf8, "u.json", mem).badRecords().size());
        }
    }

    @Test
    void integersAtTheirLimits() {
        assertEquals(-128L, value(DataType.TINYINT, "-128"));
        assertEquals(127L, value(DataType.TINYINT, "127"));
        assertEquals(-32768L, value(DataType.SMALLINT, "-32768"));
        assertEquals(32767L, value(DataType.SMALLINT, "32767"));
        assertEquals(-2147483648L, value(DataType.INTEGER, "-2147483648"));
        assertEquals(2147483647L, value(DataType.INTEGER, "2147483647"));
        assertEquals(Long.MIN_VALUE, value(DataType.BIGINT, "-9223372036854775808"));
        assertEquals(Long.MAX_VALUE, value(DataType.BIGINT, "9223372036854775807"));
        assertEquals(999999999999999999L, value(DataType.BIGINT, "999999999999999999"));
        assertEquals(0L, value(DataType.BIGINT, "-0"));
        assertEquals("t.json:1: field 'v': 128 is out of range for TINYINT (-128 to 127) at column 6", reason(DataType.TINYINT, "128"));
        assertEquals("t.json:1: field 'v': -32769 is out of range for SMALLINT (-32768 to 32767) at column 6", reason(DataType.SMALLINT, "-32769"));
        assertEquals("t.json:1: field 'v': 2147483648 is out of range for INTEGER (-2147483648 to 2147483647) at column 6", reason(DataType.INTEGER, "2147483648"));
        assertEquals("t.json:1: field 'v': 9223372036854775808 is out of range for BIGINT at column 6", reason(DataType.BIGINT, "9223372036854775808"));
        assertEquals("t.json:1: field 'v': -92233720368547758080 is out of range for BIGINT at column 6", reason(DataType.BIGINT, "-92233720368547758080"));
        assertEquals("t.json:1: field 'v': expected an integer, found 1.0 at column 6", reason(DataType.BIGINT, "1.0"));
        assertEquals("t.json:1: field 'v': expected an integer, found 1e3 at column 6", reason(DataType.INTEGER, "1e3"));
        assertEquals("t.json:1: field 'v': expected an integer, found a string at column 6", reason(DataType.BIGINT, "\"1\""));
        assertEquals("t.json:1: invalid number - at column 6", reason(DataType.BIGINT, "-"));
        assertEquals("t.json:1: expected ',' or '}' after a value, found '+' at column 7", reason(DataType.BIGINT, "1+"));
        assertEquals("t.json:1: field 'v': expected an integer, found '+' at column 6", reason(DataType.BIGINT, "+1"));
    }

    @Test
    void decimalsAreExactNeverRounded() {
        DataType d = DataType.decimal(5, 2);
        assertEquals(new BigDecimal("123.45"), value(d, "123.45"));
        assertEquals(new BigDecimal("-999.99"), value(d, "-999.99"));
        assertEquals(new BigDecimal("1.50"), value(d, "1.5"));
        assertEquals(new BigDecimal("1.50"), value(d, "1.500000000000000000000000")); // zeros past the scale change nothing
        assertEquals(new BigDecimal("100.00"), value(d, "1e2"));
        assertEquals(new BigDecimal("123.45"), value(d, "12345E-2"));
        assertEquals(new BigDecimal("0.01"), value(d, "0.0001e2"));
        assertEquals(new BigDecimal("0.00"), value(d, "-0.0e999"));
        assertEquals(new BigDecimal("7.00"), value(d, "7"));
        assertEquals("t.json:1: field 'v': 1.005 does not fit DECIMAL(5,2) (more than 2 digits after the point) at column 6", reason(d, "1.005"));
        assertEquals("t.json:1: field 'v': 1000 does not fit DECIMAL(5,2) (more than 3 digits before the point) at column 6", reason(d, "1000"));
        assertEquals("t.json:1: field 'v': 1e400 does not fit DECIMAL(5,2) (more than 3 digits before the point) at column 6", reason(d, "1e400"));
        assertEquals("t.json:1: field 'v': expected a number, found a string at column 6", reason(d, "\"1.5\""));
        DataType wide = DataType.decimal(18, 0);
        assertEquals(new BigDecimal("999999999999999999"), value(wide, "999999999999999999"));
        assertEquals(new BigDecimal("-999999999999999999"), value(wide, "-999999999999999999"));
        assertEquals("t.json:1: field 'v': 1000000000000000000 does not fit DECIMAL(18,0) (more than 18 digits before the point) at column 6",
                reason(wide, "1000000000000000000"));
        assertEquals("t.json:1: field 'v': 1234567890123456789 does not fit DECIMAL(18,0) (more than 18 significant digits) at column 6",
                reason(wide, "1234567890123456789"));
        DataType fraction = DataType.decimal(18, 18);
        assertEquals(new BigDecimal("0.123456789012345678"), value(fraction, "0.123456789012345678"));
        assertEquals(new BigDecimal("-0.000000000000000001"), value(fraction, "-1e-18"));
        assertEquals("t.json:1: field 'v': 1e-19 does not fit DECIMAL(18,18) (more than 18 digits after the point) at column 6", reason(fraction, "1e-19"));
    }

    @Test
    void doublesAreCorrectlyRounded() {
        String[] samples = {"0", "-0.0", "0.1", "1", "-2.5", "3.141592653589793", "1e22", "1e23", "123456789012345678901234567890",
                "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308", "9007199254740993", "0.30000000000000004", "1e-400"};
        for (String s : samples) assertEquals(Double.parseDouble(s), (Double) value(DataType.DOUBLE, s), s);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) value(DataType.DOUBLE, "-0")));
        assertEquals("t.json:1: field 'v': 1e309 is out of range for DOUBLE at column 6", reason(DataType.DOUBLE, "1e309"));
        assertEquals("t.json:1: field 'v': expected a number, found 'N' at column 6", reason(DataType.DOUBLE, "NaN"));
        assertEquals("t.json:1: invalid number 1. (no digit after the point) at column 6", reason(DataType.DOUBLE, "1."));
        assertEquals("t.json:1: invalid number 1e (no digit in the exponent) at column 6", reason(DataType.DOUBLE, "1e"));
        assertEquals("t.json:1: field 'v': expected a number, found '.' at column 6", reason(DataType.DOUBLE, ".5"));
    }

    @Test
    void booleans() {
        assertEquals(true, value(DataType.BOOLEAN, "true"));
        assertEquals(false, value(DataType.BOOLEAN, "false"));
        assertEquals("t.json:1: field 'v': expected true or false, found a number at column 6", reason(DataType.BOOLEAN, "1"));
        assertEquals("t.json:1: field 'v': expected true or false, found a string at column 6", reason(DataType.BOOLEAN, "\"true\""));
        assertEquals("t.json:1: invalid literal tru (expected true) at column 6", reason(DataType.BOOLEAN, "tru"));
    }

    @Test
    void dates() {
        assertEquals(LocalDate.of(1970, 1, 1), value(DataType.DATE, "\"1970-01-01\""));
        assertEquals(LocalDate.of(0, 1, 1), value(DataType.DATE, "\"0000-01-01\""));
        assertEquals(LocalDate.of(0, 2, 29), value(DataType.DATE, "\"0000-02-29\""));
        assertEquals(LocalDate.of(9999, 12, 31), value(DataType.DATE, "\"9999-12-31\""));
        assertEquals(LocalDate.of(1969, 12, 31), value(DataType.DATE, "\"1969-12-31\""));
        assertEquals(LocalDate.of(2000, 2, 29), value(DataType.DATE, "\"2000-02-29\""));
        assertEquals(LocalDate.of(2024, 3, 1), value(DataType.DATE, "\"2024\\u002d03-01\"")); // escapes are decoded first
        assertEquals("t.json:1: field 'v': \"2023-02-29\" is not a DATE (no such day) at column 6", reason(DataType.DATE, "\"2023-02-29\""));
        assertEquals("t.json:1: field 'v': \"1900-02-29\" is not a DATE (no such day) at column 6", reason(DataType.DATE, "\"1900-02-29\""));
        assertEquals("t.json:1: field 'v': \"2024-13-01\" is not a DATE (no such day) at column 6", reason(DataType.DATE, "\"2024-13-01\""));
        assertEquals("t.json:1: field 'v': \"2024-1-01\" is not a DATE (expected \"YYYY-MM-DD\") at column 6", reason(DataType.DATE, "\"2024-1-01\""));
        assertEquals("t.json:1: field 'v': \"2024-01-01T00:00\" is not a DATE (expected \"YYYY-MM-DD\") at column 6", reason(DataType.DATE, "\"2024-01-01T00:00\""));
        assertEquals("t.json:1: field 'v': expected a date string, found a number at column 6", reason(DataType.DATE, "20240101"));
    }

    @Test
    void dateArithmeticAgreesWithJavaTimeOverTheWholeRange() {
        byte[] text = new byte[10];
        for (LocalDate d = LocalDate.of(0, 1, 1); d.getYear() <= 9999; d = d.plusDays(1)) {
            assertEquals(10, JsonTime.writeDate(d.toEpochDay(), text, 0));
            assertEquals(d.toString(), new String(text, StandardCharsets.US_ASCII));
            try {
                assertEquals(d.toEpochDay(), JsonTime.date(text, 0, 10));
            } catch (JsonTime.BadValue e) {
                throw new AssertionError(d + ": " + e.getMessage());
            }
        }
        assertEquals(-1, JsonTime.writeDate(LocalDate.of(10000, 1, 1).toEpochDay(), new byte[12], 0));
        assertEquals(-1, JsonTime.writeDate(LocalDate.of(-1, 12, 31).toEpochDay(), new byte[12], 0));
    }

    @Test
    void timestamps() {
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000), value(DataType.TIMESTAMP, "\"2024-01-02T03:04:05.123456Z\""));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5), value(DataType.TIMESTAMP, "\"2024-01-02 03:04:05\""));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 100_000_000), value(DataType.TIMESTAMP, "\"2024-01-02T03:04:05.1\""));
        assertEquals(LocalDateTime.of(2024, 1, 2, 0, 0), value(DataType.TIMESTAMP, "\"2024-01-02\""));
        assertEquals(LocalDateTime.of(2024, 1, 2, 2, 4, 5), value(DataType.TIMESTAMP, "\"2024-01-02T03:04:05+01:00\""));
        assertEquals(LocalDateTime.of(2024, 1, 1, 23, 34, 5), value(DataType.TIMESTAMP, "\"2024-01-02T03:04:05+03:30\""));
        assertEquals(LocalDateTime.of(2024, 1, 2, 8, 4, 5), value(DataType.TIMESTAMP, "\"2024-01-02T03:04:05-05:00\""));
        assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000), value(DataType.TIMESTAMP, "1700000000123"));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000), value(DataType.TIMESTAMP, "-1"));
        assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0), value(DataType.TIMESTAMP, "0"));
        assertEquals("t.json:1: field 'v': \"2024-01-02T03:04:05.1234567\" is not a TIMESTAMP (more than 6 digits of fractional seconds (Kiln keeps microseconds)) at column 6",
                reason(DataType.TIMESTAMP, "\"2024-01-02T03:04:05.1234567\""));
        assertEquals("t.json:1: field 'v': \"2024-01-02T24:00:00\" is not a TIMESTAMP (no such time of day) at column 6", reason(DataType.TIMESTAMP, "\"2024-01-02T24:00:00\""));
        assertEquals("t.json:1: field 'v': \"2024-01-02T03:04\" is not a TIMESTAMP (expected \"YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+HH:MM]\" or epoch milliseconds) at column 6",
                reason(DataType.TIMESTAMP, "\"2024-01-02T03:04\""));
        assertEquals("t.json:1: field 'v': \"2024-01-02T03:04:05+0100\" is not a TIMESTAMP (expected \"YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+HH:MM]\" or epoch milliseconds) at column 6",
                reason(DataType.TIMESTAMP, "\"2024-01-02T03:04:05+0100\""));
        assertEquals("t.json:1: field 'v': expected an integer, found 1700000000123.5 at column 6", reason(DataType.TIMESTAMP, "1700000000123.5"));
        assertEquals("t.json:1: field 'v': 9223372036854776 epoch milliseconds is out of range for TIMESTAMP at column 6", reason(DataType.TIMESTAMP, "9223372036854776"));
        assertEquals(LocalDateTime.of(294247, 1, 10, 4, 0, 54, 775_000_000), value(DataType.TIMESTAMP, "9223372036854775"));
        assertEquals("t.json:1: field 'v': expected a timestamp string or epoch milliseconds, found a boolean at column 6", reason(DataType.TIMESTAMP, "true"));
    }

    @Test
    void varcharTakesOnlyStrings() {
        assertEquals("t.json:1: field 'v': expected a string, found a number at column 6", reason(DataType.VARCHAR, "12"));
        assertEquals("t.json:1: field 'v': expected a string, found a boolean at column 6", reason(DataType.VARCHAR, "false"));
        assertEquals("t.json:1: field 'v': expected a string, found an object at column 6", reason(DataType.VARCHAR, "{\"a\":1}"));
        assertEquals("t.json:1: field 'v': expected a string, found an array at column 6", reason(DataType.VARCHAR, "[\"a\"]"));
    }

    @Test
    void badRecordsKeepTheirLineTextAndReasonAndGiveNoRow() {
        Schema s = Schema.of(notNull("ad_id", DataType.VARCHAR), f("n", DataType.INTEGER));
        String text = "{\"ad_id\":\"a\",\"n\":1}\n"
                + "[1,2]\n"
                + "\n"
                + "{\"n\":2,\"ad_id\":12}\r\n"
                + "{\"ad_id\":\"b\",\"n\":2} x\n"
                + "   \r\n"
                + "{\"ad_id\":\"é\",\"n\":1,}\n"
                + "{\"ad_id\":\"c\",\"n\":3}\n"
                + "not json\n"
                + "{\"ad_id\":\"d\" \"n\":3}\n"
                + "{\"ad_id\":\"e\",\"n\":2,\"AD_ID\":\"f\"}\n"
                + "{\"ad_id\":\"g\"";
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch b = new JsonLinesReader(s, BadRecordPolicy.SKIP_AND_REPORT).read(text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length, "events.json", 100, mem);
            assertEquals(List.of(row("a", 1L), row("c", 3L)), rows(b.batches()));
            assertEquals(List.of(
                    new BadRecord("events.json:101", "[1,2]", "expected a JSON object, found an array at column 1"),
                    new BadRecord("events.json:103", "{\"n\":2,\"ad_id\":12}", "field 'ad_id': expected a string, found a number at column 16"),
                    new BadRecord("events.json:104", "{\"ad_id\":\"b\",\"n\":2} x", "unexpected text after the object: 'x' at column 21"),
                    new BadRecord("events.json:106", "{\"ad_id\":\"é\",\"n\":1,}", "expected a field name in double quotes, found '}' at column 20"),
                    new BadRecord("events.json:108", "not json", "expected a JSON object, found 'n' at column 1"),
                    new BadRecord("events.json:109", "{\"ad_id\":\"d\" \"n\":3}", "expected ',' or '}' after a value, found a string at column 14"),
                    new BadRecord("events.json:110", "{\"ad_id\":\"e\",\"n\":2,\"AD_ID\":\"f\"}", "field 'ad_id' appears twice in the object at column 20"),
                    new BadRecord("events.json:111", "{\"ad_id\":\"g\"", "expected ',' or '}' after a value, found the end of the line at column 13")),
                    b.badRecords());
        }
    }

    @Test
    void failPolicyStopsAtTheFirstBadRecordAndFreesItsMemory() {
        Schema s = Schema.of(notNull("ad_id", DataType.VARCHAR));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70_000; i++) text.append("{\"ad_id\":\"a").append(i).append("\"}\n");
        text.append("{\"ad_id\": 17}\n");
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            KilnException e = assertThrows(KilnException.class, () -> new JsonLinesReader(s, BadRecordPolicy.FAIL)
                    .read(text.toString().getBytes(StandardCharsets.UTF_8), 0, text.length(), "part-3.json", 1, mem));
            assertEquals("part-3.json:70001:11: field 'ad_id': expected a string, found a number; "
                    + "fix the record, or read with BadRecordPolicy.SKIP_AND_REPORT to set bad records aside", e.getMessage());
            assertEquals(0, mem.used());
        }
    }

    @Test
    void columnsCountCharactersNotBytes() {
        assertEquals(List.of("t.json:1: field 'n': expected an integer, found a string at column 15"),
                bad(Schema.of(f("s", DataType.VARCHAR), f("n", DataType.INTEGER)), "{\"s\":\"😀é\",\"n\":\"1\"}"));
    }

    @Test
    void namesMatchExactlyFirstThenIgnoringCase() {
        Schema s = Schema.of(f("Name", DataType.VARCHAR), f("name", DataType.VARCHAR), f("AGE", DataType.INTEGER), f("Straße", DataType.INTEGER));
        assertEquals(List.of(row("A", "a", 3L, 4L)), good(s, "{\"Name\":\"A\",\"name\":\"a\",\"age\":3,\"STRASSE\":1,\"straße\":4}"));
        assertEquals(List.of(row("X", null, null, null)), good(s, "{\"NAME\":\"X\"}")); // the first of two that match ignoring case
        assertEquals(List.of(row(null, null, 5L, null)), good(s, "{\"a\\u0047e\":5}")); // an escaped key is decoded, then matched
    }

    @Test
    void namesThatNeedEscapingMatch() {
        Schema s = Schema.of(f("a\"b", DataType.INTEGER), f("tab\there", DataType.INTEGER), f("é", DataType.INTEGER));
        assertEquals(List.of(row(1L, 2L, 3L)), good(s, "{\"a\\\"b\":1,\"tab\\there\":2,\"\\u00e9\":3}"));
        assertEquals(List.of(row(null, null, 4L)), good(s, "{\"É\":4}"));
        // the second record's keys are checked in place against the first one's order
        assertEquals(List.of(row(1L, null, 5L), row(2L, null, 6L), row(null, null, null)), good(s, "{\"a\\\"b\":1,\"é\":5}\n{\"a\\\"b\":2,\"é\":6}\n{\"é2\":7}"));
    }

    @Test
    void linesEndWithLfOrCrlfAndEmptyLinesAreSkipped() {
        Schema s = one(DataType.BIGINT);
        assertEquals(List.of(row(1L), row(2L), row(3L)), good(s, "\n\r\n{\"v\":1}\r\n\n  \t \n{\"v\":2}\n{\"v\":3}"));
        assertEquals(List.of(row(1L)), good(s, "\uFEFF{\"v\":1}\n"));
        assertEquals(List.of(), good(s, ""));
        assertEquals(List.of(), good(s, "\n\n"));
        assertEquals(List.of("t.json:3: field 'v': expected an integer, found a string at column 6"), bad(s, "\r\n\n{\"v\":\"x\"}\r\n"));
    }

    @Test
    void readsOnlyTheGivenRange() {
        byte[] b = "garbage{\"v\":1}\n{\"v\":2}\ngarbage".getBytes(StandardCharsets.UTF_8);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch r = new JsonLinesReader(one(DataType.BIGINT), BadRecordPolicy.FAIL).read(b, 7, 16, "x", 1, mem);
            assertEquals(List.of(row(1L), row(2L)), rows(r.batches()));
        }
    }

    @Test
    void batchesHoldAtMostAMorselOfRows() {
        Schema s = Schema.of(notNull("i", DataType.INTEGER), f("s", DataType.VARCHAR));
        StringBuilder text = new StringBuilder();
        int n = Table.MORSEL_ROWS * 2 + 10;
        for (int i = 0; i < n; i++) {
            text.append("{\"i\":").append(i).append(i % 100_000 == 7 ? ",\"s\":null}\n" : ",\"s\":\"s" + i + "\"}\n");
            if (i == 5) text.append("{\"i\":\"bad\"}\n");
        }
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch r = JsonTestSupport.read(s, text.toString(), mem);
            assertEquals(List.of(Table.MORSEL_ROWS, Table.MORSEL_ROWS, 10), r.batches().stream().map(Batch::rowCount).toList());
            assertEquals(1, r.badRecords().size());
            List<List<Object>> rows = rows(r.batches());
            for (int i = 0; i < n; i++) assertEquals(row((long) i, i % 100_000 == 7 ? null : "s" + i), rows.get(i));
            assertTrue(r.batches().get(0).column(1).hasNulls());
            assertTrue(r.batches().get(1).column(1).hasNulls()); // row 100007
            assertFalse(r.batches().get(2).column(1).hasNulls());
            assertFalse(r.batches().get(0).column(0).hasNulls());
        }
    }

    @Test
    void aNullAfterManyValuesKeepsThemPresent() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append(i == 77 || i == 150 ? "{\"v\":null}\n" : "{\"v\":" + i + "}\n");
        List<List<Object>> rows = good(one(DataType.SMALLINT), text.toString());
        for (int i = 0; i < 200; i++) assertEquals(i == 77 || i == 150 ? null : (long) i, rows.get(i).getFirst(), "row " + i);
    }

    @Test
    void segmentsReadLikeArrays() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60_000; i++) text.append("{\"v\":").append(i).append(",\"pad\":\"").append("x".repeat(i % 50)).append("\"}\n");
        text.append("{\"v\":\"bad\"}\n{\"v\":-1}");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length > 2 << 20, "spans several copy chunks");
        JsonLinesReader reader = new JsonLinesReader(one(DataType.INTEGER), BadRecordPolicy.SKIP_AND_REPORT);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE); Arena arena = Arena.ofConfined()) {
            SourceBatch fromArray = reader.read(bytes, 0, bytes.length, "a", 1, mem);
            MemorySegment nativeCopy = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, nativeCopy, 0, bytes.length);
            SourceBatch fromNative = reader.read(nativeCopy, "a", 1, mem);
            byte[] padded = new byte[bytes.length + 20];
            System.arraycopy(bytes, 0, padded, 10, bytes.length);
            SourceBatch fromHeap = reader.read(MemorySegment.ofArray(padded).asSlice(10, bytes.length), "a", 1, mem);
            assertEquals(60_001, fromArray.rowCount());
            assertEquals(List.of(new BadRecord("a:60001", "{\"v\":\"bad\"}", "field 'v': expected an integer, found a string at column 6")), fromArray.badRecords());
            assertEquals(rows(fromArray.batches()), rows(fromNative.batches()));
            assertEquals(fromArray.badRecords(), fromNative.badRecords());
            assertEquals(rows(fromArray.batches()), rows(fromHeap.batches()));
            assertEquals(fromArray.badRecords(), fromHeap.badRecords());
        }
    }

    @Test
    void aLineLongerThanACopyChunkIsReadWhole() {
        String big = "é".repeat(700_000); // 1.4 MB of text, more than the 1 MB chunk
        byte[] bytes = ("{\"v\":\"a\"}\n{\"v\":\"" + big + "\"}\n{\"v\":\"z\"}").getBytes(StandardCharsets.UTF_8);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE); Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
            SourceBatch r = new JsonLinesReader(one(DataType.VARCHAR), BadRecordPolicy.FAIL).read(seg, "big", 1, mem);
            assertEquals(List.of(row("a"), row(big), row("z")), rows(r.batches()));
        }
    }

    @Test
    void aReadOverTheMemoryBudgetGivesBackWhatItTook() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) text.append("{\"v\":").append(i).append("}\n");
        try (QueryMemory mem = new QueryMemory(300_000)) {
            assertThrows(dev.kiln.runtime.memory.MemoryBudgetExceededException.class, () -> JsonTestSupport.read(Schema.of(notNull("v", DataType.BIGINT)), text.toString(), mem));
            assertEquals(0, mem.used());
        }
    }

    @Test
    void schemasItCannotReadAreRefused() {
        Schema dup = Schema.of(f("a", DataType.INTEGER), f("a", DataType.VARCHAR));
        assertEquals("the JSON schema names field 'a' twice; give each column its own name",
                assertThrows(KilnException.class, () -> new JsonLinesReader(dup, BadRecordPolicy.FAIL)).getMessage());
        Schema struct = Schema.of(f("s", new DataType.StructType(List.of(f("x", DataType.INTEGER)))));
        assertEquals("column 's' is declared STRUCT(x INTEGER), which the JSON reader cannot read yet; declare it VARCHAR or leave it out of the schema",
                assertThrows(KilnException.class, () -> new JsonLinesReader(struct, BadRecordPolicy.FAIL)).getMessage());
    }

    @Test
    void anEmptySchemaCountsObjects() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch r = JsonTestSupport.read(Schema.of(), "{}\n{\"a\":[1]}\n3\n", mem);
            assertEquals(2, r.rowCount());
            assertEquals(1, r.badRecords().size());
        }
    }
}
