package dev.kiln.engine.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.hydromatic.sqllogictest.TestStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * select1.test to select5.test of the sqllogictest corpus, and one file of its index/ group, through the JDBC driver: tables made by
 * CREATE TABLE and INSERT, then each query's rows checked against the corpus's answer (a hash of
 * the sorted values). The floors are the pass counts measured when the test was written; they
 * may only go up. What still fails, and why, is in the engine README.
 */
class KilnSltTest {
    @ParameterizedTest(name = "{0}: at least {2} of {1} queries")
    @CsvSource({"select1.test, 1000, 1000", "select2.test, 1000, 1000", "select3.test, 3320, 3320", "select4.test, 2832, 2832", "select5.test, 732, 720",
            // unique indexes, IN sub-queries inside deep predicates, hundreds of literals per query
            "index/between/1/slt_good_0.test, 10000, 10000"})
    void corpusFile(String file, int queries, int floor) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TestStatistics s = KilnSlt.run(new PrintStream(log, true, StandardCharsets.UTF_8), file);
        String report = KilnSlt.report(s);
        assertEquals(1, s.getTestFileCount());
        assertEquals(0, s.getParseFailureCount(), "a statement (CREATE TABLE, INSERT, ...) failed\n" + report + log.toString(StandardCharsets.UTF_8));
        assertEquals(queries, s.getPassedTestCount() + s.getFailedTestCount() + s.getIgnoredTestCount(), report);
        assertTrue(s.getPassedTestCount() >= floor, file + ": passed " + s.getPassedTestCount() + " of " + queries + ", floor " + floor + "\n" + report);
    }
}
