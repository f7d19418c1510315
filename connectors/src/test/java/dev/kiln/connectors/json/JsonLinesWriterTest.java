package dev.kiln.connectors.json;

import static dev.kiln.connectors.json.JsonTestSupport.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesWriterTest {
    static String write(Schema s, Object... row) {
        return new String(new JsonLinesWriter(s).writeRows(List.<Object[]>of(row)), StandardCharsets.UTF_8);
    }

    @Test
    void writesEachTypeInTheFormTheReaderReads() {
        Schema s = Schema.of(f("b", DataType.BOOLEAN), f("i", DataType.TINYINT), f("l", DataType.BIGINT), f("m", DataType.decimal(9, 3)),
                f("z", DataType.decimal(4, 4)), f("d", DataType.DOUBLE), f("day", DataType.DATE), f("ts", DataType.TIMESTAMP), f("ts2", DataType.TIMESTAMP),
                f("s", DataType.VARCHAR), f("n", DataType.VARCHAR));
        assertEquals("{\"b\":true,\"i\":-128,\"l\":-9223372036854775808,\"m\":-0.050,\"z\":0.0001,\"d\":1.0E-7,\"day\":\"0042-03-04\","
                        + "\"ts\":\"1969-12-31T23:59:59.999999\",\"ts2\":\"2024-05-06T07:08:09\",\"s\":\"a\\\"\\\\\\n\\t\\u0001é😀/\",\"n\":null}\n",
                write(s, true, -128L, Long.MIN_VALUE, new BigDecimal("-0.05"), new BigDecimal("0.0001"), 1e-7, LocalDate.of(42, 3, 4),
                        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.of(2024, 5, 6, 7, 8, 9), "a\"\\\n\t\u0001é😀/", null));
    }

    @Test
    void namesAreEscapedAndAnEmptySchemaWritesEmptyObjects() {
        assertEquals("{\"a\\\"b\":1}\n", write(Schema.of(f("a\"b", DataType.INTEGER)), 1L));
        assertEquals("{}\n", write(Schema.of()));
    }

    @Test
    void whatJsonCannotHoldIsRefused() {
        Schema d = Schema.of(f("x", DataType.DOUBLE));
        assertEquals("column 'x': NaN cannot be written as JSON (a JSON number is finite)",
                assertThrows(KilnException.class, () -> write(d, Double.NaN)).getMessage());
        Schema day = Schema.of(f("day", DataType.DATE));
        assertEquals("column 'day': +10000-01-01 is outside the years 0000 to 9999, which JSON dates are written in",
                assertThrows(KilnException.class, () -> write(day, LocalDate.of(10000, 1, 1))).getMessage());
    }
}
