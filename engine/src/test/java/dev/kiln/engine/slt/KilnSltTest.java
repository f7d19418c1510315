package dev.kiln.engine.slt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.hydromatic.sqllogictest.TestStatistics;
import org.junit.jupiter.api.Test;

/**
 * select1.test of the sqllogictest corpus through the JDBC driver: 1000 queries over tables made
 * by CREATE TABLE and INSERT, each checked against the corpus's answer. The floor is the pass
 * count measured now (the failures are listed in the engine README); it may only go up.
 */
class KilnSltTest {
    static final int SELECT1_FLOOR = 990;

    @Test
    void select1() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TestStatistics s = KilnSlt.run(new PrintStream(log, true, StandardCharsets.UTF_8), "select1.test");
        String report = KilnSlt.report(s) + log.toString(StandardCharsets.UTF_8);
        assertEquals(1, s.getTestFileCount());
        assertEquals(0, s.getParseFailureCount(), report);
        assertEquals(1000, s.getPassedTestCount() + s.getFailedTestCount() + s.getIgnoredTestCount(), report);
        assertTrue(s.getPassedTestCount() >= SELECT1_FLOOR, "passed " + s.getPassedTestCount() + " of 1000, floor " + SELECT1_FLOOR + "\n" + report);
    }
}
