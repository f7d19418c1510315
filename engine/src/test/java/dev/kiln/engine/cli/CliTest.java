package dev.kiln.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user sees it: exact outputs in every format, exit codes, error messages. */
class CliTest {
    record Run(int code, String out, String err) {}

    static Path sales() {
        return Path.of("src/test/resources/sales.csv").toAbsolutePath();
    }

    static Run kiln(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run sql(String sql, String... extra) {
        List<String> a = new ArrayList<>(List.of("sql", "--table", "sales=" + sales(), "-e", sql));
        a.addAll(List.of(extra));
        return kiln(a.toArray(new String[0]));
    }

    @Test
    void tableFormatIsAligned() {
        Run r = sql("SELECT region, count(*) AS n, sum(quantity) AS q FROM sales GROUP BY region ORDER BY region");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                region | n | q
                -------+---+---
                East   | 7 | 49
                North  | 8 | 53
                South  | 8 | 74
                West   | 7 | 55
                (4 rows)
                """, r.out());
    }

    @Test
    void csvIsRfc4180WithHeader() {
        Run r = sql("SELECT id, product, discount FROM sales WHERE id IN (2, 4, 7) ORDER BY id", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals("id,product,discount\r\n2,Gadget,\r\n4,\"Gizmo, large\",0.15\r\n7,\"Doohickey \"\"Pro\"\"\",\r\n", r.out());
    }

    @Test
    void jsonIsOneObjectPerRow() {
        Run r = sql("SELECT id, product, sale_date, unit_price, discount, quantity > 10 AS big FROM sales WHERE id <= 2 ORDER BY id", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                {"id":1,"product":"Widget","sale_date":"2024-01-05","unit_price":19.99,"discount":0.05,"big":true}
                {"id":2,"product":"Gadget","sale_date":"2024-01-06","unit_price":149.00,"discount":null,"big":false}
                """, r.out());
    }

    /** An image table's struct column in JSON: one object of its fields (the pixels as their tensor's text), NULL for a file that is not an image. */
    @Test
    void jsonWritesAStructAsAnObject(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("a.png").toFile());
        java.nio.file.Files.writeString(dir.resolve("b.png"), "not a picture");
        Run r = kiln("sql", "--images", "imgs=" + dir, "-e", "SELECT image, error IS NOT NULL AS failed FROM imgs ORDER BY origin", "--format", "json");
        assertEquals(0, r.code(), r.err());
        String origin = dir.resolve("a.png").toUri().toString();
        assertEquals("{\"image\":{\"origin\":\"" + origin + "\",\"height\":2,\"width\":3,\"nChannels\":1,\"mode\":0,\"data\":\"uint8[2, 3, 1]{0, 0, 0, 0, 0, 0}\"},"
                + "\"failed\":false}\n{\"image\":null,\"failed\":true}\n", r.out());
    }

    /** Comments before a statement Kiln reads itself (CREATE TABLE, INSERT, ANALYZE, EXPLAIN) do not hide what it is. */
    @Test
    void commentsBeforeStatementsOfEveryKind() {
        Run r = kiln("sql", "-e", """
                -- a table of one column
                CREATE TABLE t (a INTEGER);
                /* two rows */ INSERT INTO t VALUES (1), (2);
                -- gather its statistics
                ANALYZE t;
                -- and read it
                SELECT sum(a) AS s FROM t""", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("s\r\n3\r\n"), r.out());
        Run explain = kiln("sql", "-e", "-- the plan\nEXPLAIN SELECT 1", "--format", "csv");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().startsWith("plan"), explain.out());
    }

    @Test
    void syntaxErrorShowsLineColumnAndCaret() {
        Run r = sql("SELECT region,\n  count(*\nFROM sales");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("Error: Syntax error: Encountered \"FROM\""), r.err());
        assertTrue(r.err().contains("at line 3, column 1\nFROM sales\n^"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void unknownColumnSuggestsTheClosestName() {
        Run r = sql("SELECT regoin FROM sales");
        assertEquals(1, r.code());
        assertEquals("Error: Column 'regoin' not found in any table. Did you mean 'region'? at line 1, column 8\n"
                + "SELECT regoin FROM sales\n       ^\n", r.err());
    }

    @Test
    void unknownTableSuggestsAndLists() {
        Run r = sql("SELECT * FROM sale");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("Error: Table 'sale' not found. Did you mean 'sales'? Available tables: sales at line 1, column 15"), r.err());
    }

    @Test
    void typeErrorNamesBothTypes() {
        Run r = sql("SELECT * FROM sales WHERE sale_date = 5");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("<DATE> = <INTEGER>"), r.err());
    }

    @Test
    void overflowAndDivisionByZeroAreErrors() {
        Run o = sql("SELECT 9223372036854775807 + id FROM sales");
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("Error: numeric overflow: a result does not fit BIGINT or DECIMAL (64 bits)"), o.err());
        Run d = sql("SELECT quantity / (id - id) FROM sales");
        assertEquals(1, d.code());
        assertEquals("Error: division by zero\n", d.err());
        // not evaluated for rows a filter removes first
        Run ok = sql("SELECT count(*) AS n FROM sales WHERE id > 100 AND quantity / (id - id) > 1");
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void quotesCommentsAndKeywordsInLiteralsAreJustData() {
        String nasty = "it''s */ \"q\" /* x */ \\u0000 class public static void main\"; System.exit(3); //";
        Run r = sql("SELECT '" + nasty + "' AS s, count(*) AS n FROM sales WHERE product <> '" + nasty + "'", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals("s,n\r\n\"it's */ \"\"q\"\" /* x */ \\u0000 class public static void main\"\"; System.exit(3); //\",30\r\n", r.out());
        Run janino = sql("SELECT '" + nasty + "' AS s FROM sales WHERE id = 1", "--format", "csv", "--backend", "janino");
        assertEquals(0, janino.code(), janino.err());
        assertEquals("s\r\n\"it's */ \"\"q\"\" /* x */ \\u0000 class public static void main\"\"; System.exit(3); //\"\r\n", janino.out());
    }

    @Test
    void malformedCsvNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,4,5\n");
        Run r = kiln("sql", "--table", "bad=" + bad, "-e", "SELECT * FROM bad");
        assertEquals(1, r.code());
        assertEquals("Error: bad.csv:3: expected 2 fields but found 3 (check for an unquoted ',')\n", r.err());
        Path quote = dir.resolve("q.csv");
        Files.writeString(quote, "a,b\n1,x\n2,ab\"c\n");
        Run v = kiln("sql", "--table", "q=" + quote, "-e", "SELECT * FROM q");
        assertEquals(1, v.code());
        assertEquals("Error: q.csv:3: a quote inside an unquoted field; quote the whole field and double the inner quotes\n", v.err());
        Path open = dir.resolve("o.csv");
        Files.writeString(open, "a,b\n1,\"never closed\n2,3\n");
        Run u = kiln("sql", "--table", "o=" + open, "-e", "SELECT * FROM o");
        assertEquals("Error: o.csv:2: unterminated quoted field (a '\"' opened here is never closed)\n", u.err());
    }

    @Test
    void usageErrorsExitTwoWithASuggestion() {
        Run r = kiln("sql", "--tabel", "x=y.csv");
        assertEquals(2, r.code());
        assertEquals("kiln: unknown option '--tabel' (did you mean --table?); run 'kiln help' for the list\n", r.err());
        assertEquals(2, kiln("sql", "--format", "xml", "-e", "select 1").code());
    }

    @Test
    void viewsAndCtes() {
        Run r = sql("CREATE VIEW big AS SELECT * FROM sales WHERE quantity >= 10; "
                + "WITH r AS (SELECT region, count(*) AS n FROM big GROUP BY region) SELECT * FROM r ORDER BY n DESC, region LIMIT 2");
        assertEquals(0, r.code(), r.err());
        assertEquals("CREATE VIEW big\nregion | n\n-------+--\nSouth  | 3\nEast   | 2\n(2 rows)\n", r.out());
    }

    @Test
    void explainShowsEverySection() {
        Run r = sql("SELECT region, sum(quantity) FROM sales WHERE id > 3 GROUP BY region", "--explain");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("== Logical plan ==", "== Optimizer rules ==", "== Optimized plan ==", "== Physical plan (pipelines) ==",
                "Pipeline 0: scan sales → filter", "hash aggregate ht0 by [region]", "Result: r")) {
            assertTrue(r.out().contains(s), "missing '" + s + "' in\n" + r.out());
        }
    }

    @Test
    void explainRunsTheScriptsDdlAndExplainsItsQueries() {
        Run r = sql("CREATE VIEW v AS SELECT region, quantity FROM sales WHERE id > 3; SELECT region, sum(quantity) FROM v GROUP BY region",
                "--explain", "--verbose");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("CREATE VIEW v\n== Logical plan ==\n"), r.out());
        assertTrue(r.out().contains("== Physical plan (pipelines) ==\nPipeline 0: scan sales → filter"), r.out());
    }

    @Test
    void timingGoesToStderr() {
        Run r = sql("SELECT count(*) AS n FROM sales", "--timing", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals("n\r\n30\r\n", r.out());
        assertTrue(r.err().matches("parse [0-9.]+ ms, optimize [0-9.]+ ms, compile [0-9.]+ ms \\(\\d+ classes compiled, \\d+ from cache\\), "
                + "execute [0-9.]+ ms, peak memory [0-9.]+ MB\n"), r.err());
    }

    @Test
    void moreUsageErrors(@TempDir Path dir) throws Exception {
        Run missing = kiln("sql", "-f", dir.resolve("nope.sql").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("kiln: cannot read " + dir.resolve("nope.sql")), missing.err());
        Run noValue = kiln("sql", "--tpch");
        assertEquals(new Run(2, "", "kiln: --tpch needs a value\n"), noValue);
        Run badSf = kiln("demo", "--sf", "zero");
        assertEquals(new Run(2, "", "kiln: --sf needs a positive scale factor such as 0.1 or 1, not 'zero'\n"), badSf);
        Run unknown = kiln("sqll");
        assertEquals(new Run(2, "", "kiln: unknown command 'sqll': use sql, stream, demo, bench or help\n"), unknown);
        // engine's tests do not see the benchmarks module, exactly like a class path without it
        Run bench = kiln("bench", "tpch");
        assertEquals(new Run(2, "", "kiln: the benchmarks module is not on the class path: run it through ./kiln bench\n"), bench);
        Run help = kiln("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--explain-codegen"), help.out());
        Path script = dir.resolve("two.sql");
        Files.writeString(script, "-- a comment; with a semicolon\nSELECT count(*) AS n FROM sales;\n/* ; */ SELECT 'a;b' AS s;\n");
        Run file = kiln("sql", "--table", "sales=" + sales(), "-f", script.toString(), "--format", "json");
        assertEquals(new Run(0, "{\"n\":30}\n{\"s\":\"a;b\"}\n", ""), file);
    }

    @Test
    void jsonAndCsvEscapeEverythingThatNeedsIt() {
        Run j = sql("SELECT 'tab\there' AS \"we\"\"ird\", 'line\nbreak \\ \"q\"' AS b, CAST(NULL AS VARCHAR) AS n, 1.5e0 AS d, TRUE AS t, "
                + "DATE '2024-02-29' AS dt FROM sales WHERE id = 1", "--format", "json");
        assertEquals(0, j.code(), j.err());
        assertEquals("{\"we\\\"ird\":\"tab\\there\",\"b\":\"line\\nbreak \\\\ \\\"q\\\"\",\"n\":null,\"d\":1.5,\"t\":true,\"dt\":\"2024-02-29\"}\n",
                j.out());
        Run c = sql("SELECT 'line\nbreak' AS a, '' AS blank, CAST(NULL AS VARCHAR) AS n, 'x' AS \"x,y\" FROM sales WHERE id = 1", "--format", "csv");
        assertEquals(0, c.code(), c.err());
        assertEquals("a,blank,n,\"x,y\"\r\n\"line\nbreak\",\"\",,x\r\n", c.out());
    }

    @Test
    void statementsPipedToStdinRunAsAScript() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var stdin = new java.io.ByteArrayInputStream("SELECT count(*) AS n FROM sales;\nSELECT max(id) AS m\nFROM sales;\n".getBytes(StandardCharsets.UTF_8));
        int code = new Main(stdin, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"sql", "--table", "sales=" + sales(), "--format", "csv"});
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("n\r\n30\r\nm\r\n30\r\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ddlMessagesKeepMachineFormatsClean() {
        Run r = sql("CREATE VIEW v AS SELECT id FROM sales WHERE id < 3; SELECT id FROM v ORDER BY id; DROP VIEW v", "--format", "json");
        assertEquals(new Run(0, "{\"id\":1}\n{\"id\":2}\n", "CREATE VIEW v\nDROP VIEW v\n"), r);
    }

    @Test
    void streamExplainsTheIncrementalPlanOfAnInsert() {
        Run r = kiln("stream", "--explain", "-e", "CREATE STREAM events WITH (connector = 'ysb', events = '10', watermark = '1 second');"
                + " CREATE SINK counts WITH (connector = 'memory', output_mode = 'append');"
                + " INSERT INTO counts SELECT c.campaign_id, TUMBLE_START(e.event_time, INTERVAL '10' SECOND) AS ws, count(*) AS n"
                + " FROM events e JOIN campaigns c ON e.ad_id = c.ad_id WHERE e.event_type = 'view' GROUP BY c.campaign_id, TUMBLE(e.event_time, INTERVAL '10' SECOND)");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                CREATE STREAM events (json-memory[events])
                CREATE SINK counts (memory)
                Output mode: APPEND (each window once, when the watermark closes it)
                Linear [campaign_id, ws, n]  -- state: none (compiled pipelines over each batch's changes)
                  | Project [campaign_id, ws := $f1, n, __w]
                  |   TableScan $delta0 [campaign_id, $f1, n, __w]
                  AggregateState keys=[campaign_id, $f1] aggs=[n := COUNT(*)] window=$f1+10s  -- state: per group row count; a group is final and dropped when the watermark passes $f1+10s
                    Linear [campaign_id, $f1]  -- state: none (compiled pipelines over each batch's changes)
                      | Aggregate keys=[campaign_id, $f1] aggs=[__w := SUM(__w)]
                      |   Project [campaign_id, $f1 := time_bucket(event_time, 10000000), __w]
                      |     Join INNER on (ad_id#0 = ad_id#3)
                      |       Project [ad_id, event_time, __w]
                      |         Filter (event_type = 'view')
                      |           TableScan $delta0 [ad_id, event_type, event_time, __w]
                      |       TableScan campaigns [ad_id, campaign_id]
                      StreamInput events [ad_id, event_type, event_time] event time event_time  -- state: none (each batch's new rows, weight +1)
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void streamRunsTheQueriesAndReportsProgress() {
        Run r = kiln("stream", "--progress", "50ms", "-e", "CREATE STREAM events WITH (connector = 'ysb', events = '20000', events_per_second = '1000');"
                + " CREATE SINK views WITH (connector = 'memory', trigger = 'available_now', max_rows_per_batch = '5000');"
                + " INSERT INTO views SELECT event_type, count(*) AS n FROM events GROUP BY event_type");
        assertEquals(0, r.code(), r.err());
        assertEquals("CREATE STREAM events (json-memory[events])\nCREATE SINK views (memory)\nINSERT INTO views: streaming query started\n", r.out());
        long rows = 0;
        for (String line : r.err().lines().filter(l -> l.startsWith("[views] batches ")).toList()) {
            rows += Long.parseLong(line.replaceAll(".*: (\\d+) rows in.*", "$1"));
        }
        assertEquals(20000, rows, r.err());
    }

    @Test
    void streamErrorsExitWithOne() {
        Run r = kiln("stream", "-e", "CREATE STREAM s WITH (connector = 'ysb', events = 'many')");
        assertEquals(1, r.code());
        assertEquals("Error: stream s: option events must be a whole number of 0 or more, not 'many'\n", r.err());
        assertEquals(2, kiln("stream").code());
    }
}
