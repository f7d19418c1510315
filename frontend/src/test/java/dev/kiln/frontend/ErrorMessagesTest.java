package dev.kiln.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import org.junit.jupiter.api.Test;

/** Exact error messages: what went wrong, where (line, column, caret) and how to fix it. */
class ErrorMessagesTest {
    private static SqlException sqlError(String sql) {
        return assertThrows(SqlException.class, () -> new SqlFrontend(new TestCatalog()).compile(sql));
    }

    private static KilnException error(String sql) {
        return assertThrows(KilnException.class, () -> new SqlFrontend(new TestCatalog()).compile(sql));
    }

    @Test
    void syntaxErrorShowsLineColumnAndCaret() {
        SqlException e = sqlError("SELECT * FORM lineitem");
        assertEquals("""
                Syntax error: Encountered "lineitem" (expected one of "EXCEPT", "FETCH", "FROM", "INTERSECT", "LIMIT", "OFFSET", ...) at line 1, column 15
                SELECT * FORM lineitem
                              ^""", e.getMessage());
        assertEquals(1, e.line());
        assertEquals(15, e.column());
    }

    @Test
    void syntaxErrorOnALaterLineShowsThatLine() {
        SqlException e = sqlError("select a,\n  b\nfrom t\nwhere a = = 1");
        assertEquals(4, e.line());
        assertEquals(9, e.column());
        assertTrue(e.getMessage().startsWith("Syntax error: Encountered \"= =\""), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at line 4, column 9\nwhere a = = 1\n        ^"), e.getMessage());
    }

    @Test
    void tabsCountAsOneColumnAndPrintAsSpaces() {
        SqlException e = sqlError("select\tb\tFORM t");
        assertEquals(15, e.column());
        assertTrue(e.getMessage().endsWith("\nselect b FORM t\n              ^"), e.getMessage());
    }

    @Test
    void unknownColumnSuggestsTheClosestName() {
        assertEquals("""
                Column 'l_shipdat' not found in any table. Did you mean 'l_shipdate'? at line 1, column 8
                SELECT l_shipdat FROM lineitem
                       ^""", sqlError("SELECT l_shipdat FROM lineitem").getMessage());
        assertEquals("""
                Column 'l_shipdat' not found in table 'l'. Did you mean 'l_shipdate'? at line 1, column 10
                select l.l_shipdat from lineitem l
                         ^""", sqlError("select l.l_shipdat from lineitem l").getMessage());
        SqlException e = sqlError("select\n  a,\n  bb\nfrom t");
        assertEquals("Column 'bb' not found in any table. Did you mean 'b'? at line 3, column 3\n  bb\n  ^", e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void unknownColumnWithoutACloseMatchListsTheColumnsOfTheQueriedTables() {
        assertEquals("Column 'zzz' not found in any table. Available columns: a, b, d, dt at line 1, column 8\nselect zzz from t\n       ^",
                sqlError("select zzz from t").getMessage());
    }

    @Test
    void unknownTableSuggestsAndListsTables() {
        assertEquals("""
                Table 'lineitm' not found. Did you mean 'lineitem'? Available tables: customer, ev, lineitem, nation, orders, part, partsupp, region, s, supplier, t at line 1, column 15
                select x from lineitm
                              ^""", sqlError("select x from lineitm").getMessage());
    }

    @Test
    void typeErrorsNameBothTypes() {
        assertEquals("cannot compare DATE with VARCHAR using =: CAST one side, e.g. CAST(x AS DATE)",
                error("select * from t, s where dt = y").getMessage());
        assertEquals("cannot compare VARCHAR with INTEGER using =: CAST one side, e.g. CAST(x AS INTEGER)",
                error("select a from t where b = 1").getMessage());
        SqlException e = sqlError("select a + b from t");
        assertTrue(e.getMessage().startsWith("Cannot apply '+' to arguments of type '<INTEGER> + <VARCHAR>'. Supported form(s): '<NUMERIC> + <NUMERIC>'; "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" at line 1, column 8\nselect a + b from t\n       ^"), e.getMessage());
    }

    @Test
    void unsupportedFeaturesSayNotSupportedYetWithThePosition() {
        assertEquals("the window function (OVER) is not supported yet at line 1, column 11\nselect a, row_number() over (order by a) from t\n          ^",
                sqlError("select a, row_number() over (order by a) from t").getMessage());
        SqlException rollup = sqlError("select b, count(*) from t group by rollup(b)");
        assertTrue(rollup.getMessage().startsWith("GROUPING SETS / ROLLUP / CUBE is not supported yet at line 1, column 36"), rollup.getMessage());
        assertEquals("only queries (SELECT, WITH, VALUES), CREATE VIEW and DROP VIEW are supported, not INSERT",
                error("insert into t values (1, 'a', 1.00, date '1995-01-01')").getMessage());
    }

    @Test
    void numbersBeyondEighteenDigitsAreRejected() {
        KilnException e = error("select 1234567890123456789.5 from t");
        assertEquals("the number 1234567890123456789.5 has more than 18 digits, the most a Kiln DECIMAL holds: write it as a DOUBLE, e.g. 1.2345678901234568E18",
                e.getMessage());
        assertEquals("DECIMAL(30,25) does not fit Kiln's 18 digits", error("select cast(d as decimal(30, 25)) from t").getMessage());
    }

    @Test
    void theFrontendNeverLeaksCalciteExceptions() {
        for (String sql : new String[] {"select", "select * from t where", "select a from t where a in (select x, y from s)",
                "select case when a = 1 then 'x' else 3 end from t", "select sum(b) from t"}) {
            KilnException e = error(sql);
            assertFalse(e.getMessage().contains("org.apache.calcite"), e.getMessage());
        }
    }
}
