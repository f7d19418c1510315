package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.TpchAnswers.Correction;
import dev.kiln.engine.cli.CliAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance check: each of the 22 TPC-H queries, run as a user runs it,
 * {@code kiln sql --tpch 1 --format csv -f engine/src/main/resources/tpch/qNN.sql}, returns the
 * specification's official SF 1 answer (the kit's {@code answers/qN.out}), field by field by the
 * rules of {@link TpchAnswers}. SF 1 is generated once into the TPC-H cache
 * ({@code ~/.cache/kiln/tpch}, or {@code $KILN_CACHE_DIR}) and mapped by every later run.
 */
class TpchOfficialAnswersTest {
    @ParameterizedTest(name = "Q{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
    void returnsTheOfficialAnswer(int q) {
        // the tests run in engine/, the command in the repository root
        CliAccess.Run r = CliAccess.run("sql", "--tpch", "1", "--format", "csv", "-f", String.format("src/main/resources/tpch/q%02d.sql", q));
        assertEquals(0, r.code(), "Q" + q + ": " + r.err());
        TpchAnswers.Verdict v = TpchAnswers.check(q, r.out(), TpchAnswersTest.answer(q));
        assertTrue(v.passed(), "Q" + q + " differs from the official TPC-H answer:\n  " + String.join("\n  ", v.mismatches()));
        assertEquals(TpchAnswers.CORRECTIONS.stream().filter(c -> c.query() == q).toList(), v.corrected());
        // the ORDER BY read from the query text names the columns the DuckDB oracle test orders by
        assertArrayEquals(TpchOracleTest.ORDER_COLUMNS.get(q), TpchAnswers.orderColumns(TpchQueries.text(q), TpchAnswers.parseCsv(r.out()).columns()));
    }
}
