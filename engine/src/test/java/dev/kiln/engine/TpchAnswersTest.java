package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.TpchAnswers.Correction;
import dev.kiln.engine.TpchAnswers.Table;
import dev.kiln.engine.TpchAnswers.Tolerance;
import dev.kiln.engine.TpchAnswers.Verdict;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison with the official TPC-H answers must itself be able to fail, field by field and row by row. */
class TpchAnswersTest {
    static String answer(int q) {
        try (InputStream in = TpchAnswersTest.class.getResourceAsStream("/tpch/answers-sf1/q" + q + ".out")) {
            if (in == null) throw new IllegalStateException("missing test resource /tpch/answers-sf1/q" + q + ".out");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One answer-file line and one CSV field list, compared as one-row results without ORDER BY. */
    static Verdict compareOne(String officialLine, String... actual) {
        int n = officialLine.split("\\|", -1).length;
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < n; i++) cols.add("c" + i);
        Table official = TpchAnswers.parseAnswer(String.join("|", cols) + "\n" + officialLine + "\n");
        return TpchAnswers.compare(official, new Table(cols, List.<String[]>of(actual)), new int[0]);
    }

    @Test
    void theStoredAnswerSetIsTheFullOfficialOne() {
        // the row counts of the specification's SF 1 validation output, query by query
        int[] rows = {4, 100, 10, 5, 5, 1, 4, 2, 175, 20, 1048, 2, 42, 1, 1, 18314, 1, 57, 1, 186, 100, 7};
        for (int q = 1; q <= 22; q++) assertEquals(rows[q - 1], TpchAnswers.parseAnswer(answer(q)).rows().size(), "Q" + q);
        assertEquals("A|F|37734107.00|56586554400.73|53758257134.87|55909065222.83|25.52|38273.13|0.05|1478493",
                String.join("|", Arrays.stream(TpchAnswers.parseAnswer(answer(1)).rows().getFirst()).map(String::strip).toList()));
    }

    @Test
    void decimalsAreRoundedHalfUpToTheOfficialPlacesAndMustThenBeEqual() {
        assertTrue(compareOne("25.52", "25.522005853257337").passed());
        assertTrue(compareOne("25.52", "25.515").passed());
        assertTrue(compareOne("   25.52", "25.5249999").passed());
        assertFalse(compareOne("25.52", "25.525").passed(), "rounds to 25.53");
        assertFalse(compareOne("25.52", "25.51").passed());
        assertFalse(compareOne("56586554400.73", "56586554400.74").passed(), "a cent off is wrong, though the spec allows $100 for sums");
        assertFalse(compareOne("-0.05", "0.05").passed());
        assertTrue(compareOne("-0.05", "-0.0450").passed());
        assertFalse(compareOne("0.05", "abc").passed());
        assertFalse(compareOne("0.05", (String) null).passed(), "NULL is never an official value");
    }

    @Test
    void integersMustBeTheSameDigits() {
        assertTrue(compareOne("               1478493", "1478493").passed());
        assertFalse(compareOne("1478493", "1478494").passed());
        assertFalse(compareOne("1478493", "1478493.0").passed());
        assertFalse(compareOne("13", "013").passed());
    }

    @Test
    void stringsIgnoreTrailingBlanksOnly() {
        assertTrue(compareOne("Supplier#000005359       |1995-03-05", "Supplier#000005359", "1995-03-05").passed());
        assertFalse(compareOne("Supplier#000005359       |1995-03-05", " Supplier#000005359", "1995-03-05").passed());
        assertFalse(compareOne("Supplier#000005359       |1995-03-05", "Supplier#00000535", "1995-03-05").passed());
        assertFalse(compareOne("Supplier#000005359       |1995-03-05", "Supplier#000005359", "1995-03-06").passed());
        assertFalse(compareOne("MOROCCO", "morocco").passed());
    }

    @Test
    void onlyRowsTiedOnTheOrderByMayBeReordered() {
        Table official = TpchAnswers.parseAnswer("k|v\n1|a\n1|b\n2|c\n");
        List<String> cols = List.of("k", "v");
        Table tiesSwapped = new Table(cols, List.of(new String[] {"1", "b"}, new String[] {"1", "a"}, new String[] {"2", "c"}));
        Table keysSwapped = new Table(cols, List.of(new String[] {"2", "c"}, new String[] {"1", "a"}, new String[] {"1", "b"}));
        assertTrue(TpchAnswers.compare(official, tiesSwapped, new int[] {0}).passed());
        assertFalse(TpchAnswers.compare(official, keysSwapped, new int[] {0}).passed());
        // ordered by v, nothing ties
        assertFalse(TpchAnswers.compare(official, tiesSwapped, new int[] {1}).passed());
        // a tied run is a multiset: a duplicate does not stand in for a missing row
        Table duplicated = new Table(cols, List.of(new String[] {"1", "a"}, new String[] {"1", "a"}, new String[] {"2", "c"}));
        assertFalse(TpchAnswers.compare(official, duplicated, new int[] {0}).passed());
    }

    @Test
    void missingExtraRowsAndColumnsFail() {
        Table official = TpchAnswers.parseAnswer("k|v\n1|a\n2|b\n");
        List<String> cols = List.of("k", "v");
        Verdict missing = TpchAnswers.compare(official, new Table(cols, List.<String[]>of(new String[] {"1", "a"})), new int[] {0});
        assertFalse(missing.passed());
        assertTrue(missing.mismatches().getFirst().contains("1 rows, the official answer 2"), missing.mismatches().toString());
        Table extra = new Table(cols, List.of(new String[] {"1", "a"}, new String[] {"2", "b"}, new String[] {"3", "c"}));
        assertFalse(TpchAnswers.compare(official, extra, new int[] {0}).passed());
        assertFalse(TpchAnswers.compare(official, new Table(List.of("k"), List.of(new String[] {"1"}, new String[] {"2"})), new int[] {0}).passed());
        Verdict wrong = TpchAnswers.compare(official, new Table(cols, List.of(new String[] {"1", "a"}, new String[] {"2", "x"})), new int[] {0});
        assertEquals(List.of("row 2: official 2|b, output 2|x (column 2: official 'b', output 'x')"), wrong.mismatches());
    }

    @Test
    void csvIsReadAsTheCliWritesIt() {
        Table t = TpchAnswers.parseCsv("a,b,c\r\n1,\"x, \"\"y\"\"\",\r\n2,\"\",z\r\n");
        assertEquals(List.of("a", "b", "c"), t.columns());
        assertArrayEquals(new String[] {"1", "x, \"y\"", null}, t.rows().get(0));
        assertArrayEquals(new String[] {"2", "", "z"}, t.rows().get(1));
        assertThrows(KilnException.class, () -> TpchAnswers.parseCsv("a,b\r\n1\r\n"));
        assertThrows(KilnException.class, () -> TpchAnswers.parseCsv("a\r\n\"open\r\n"));
        assertThrows(KilnException.class, () -> TpchAnswers.parseCsv(""));
    }

    @Test
    void orderColumnsComeFromTheTopLevelOrderBy() {
        assertArrayEquals(new int[] {0, 2, 1, 3},
                TpchAnswers.orderColumns(TpchQueries.text(2), List.of("s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address", "s_phone", "s_comment")));
        assertArrayEquals(new int[] {1}, TpchAnswers.orderColumns(TpchQueries.text(11), List.of("ps_partkey", "value")));
        assertArrayEquals(new int[0], TpchAnswers.orderColumns(TpchQueries.text(6), List.of("revenue")));
        assertArrayEquals(new int[0], TpchAnswers.orderColumns("select * from (select a from t order by a) x", List.of("a")));
        assertThrows(KilnException.class, () -> TpchAnswers.orderColumns("select a from t order by b", List.of("a")));
    }

    @Test
    void correctionsAreExactValuesWithinTheSpecificationsToleranceOfTheOfficialOnes() {
        for (Correction c : TpchAnswers.CORRECTIONS) {
            String[] row = TpchAnswers.parseAnswer(answer(c.query())).rows().get(c.row() - 1);
            assertEquals(c.official(), row[c.column() - 1].strip(), "Q" + c.query() + " row " + c.row());
            assertTrue(c.tolerance().allows(new BigDecimal(c.official()), new BigDecimal(c.exact())), c.toString());
        }
        // the tolerances themselves can fail
        assertTrue(Tolerance.SUM.allows(new BigDecimal("1000.00"), new BigDecimal("1100.004")));
        assertFalse(Tolerance.SUM.allows(new BigDecimal("1000.00"), new BigDecimal("1100.01")));
        assertTrue(Tolerance.AVG.allows(new BigDecimal("200.00"), new BigDecimal("198.00")));
        assertFalse(Tolerance.AVG.allows(new BigDecimal("200.00"), new BigDecimal("197.99")));
    }

    @Test
    void aCorrectedFieldIsComparedStrictlyWithItsExactValue() {
        String q17 = answer(17);
        Verdict exact = TpchAnswers.check(17, "avg_yearly\r\n348406.0542857143\r\n", q17);
        assertTrue(exact.passed(), exact.mismatches().toString());
        assertEquals(1, exact.corrected().size());
        assertFalse(TpchAnswers.check(17, "avg_yearly\r\n348406.02\r\n", q17).passed(), "the answer set's inexact value is not the exact one");
        assertFalse(TpchAnswers.check(17, "avg_yearly\r\n348406.0543\r\n", q17).passed(), "checked to seven places");
        assertThrows(KilnException.class, () -> TpchAnswers.check(17, "avg_yearly\r\n1\r\n", "avg_yearly\n348406.03\n"),
                "a correction must meet the official value it corrects");
    }
}
