package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CREATE TABLE, INSERT and DROP TABLE: exact rows back, every failure whole and named. */
class SqlTablesTest {
    static List<String> rows(Kiln k, String sql) {
        try (QueryResult r = k.sql(sql)) {
            return r.rows().stream().map(Arrays::toString).toList();
        }
    }

    static long update(Kiln k, String sql) {
        try (QueryResult r = k.sql(sql)) {
            return r.updateCount();
        }
    }

    @Test
    void createInsertSelect() {
        try (Kiln k = Kiln.open()) {
            assertEquals(0, update(k, "CREATE TABLE t(a INTEGER, b VARCHAR(10) NOT NULL, c DECIMAL(7,2), d DATE, e DOUBLE, f BOOLEAN)"));
            assertEquals(1, update(k, "INSERT INTO t VALUES (1, 'x', 1.5, DATE '1995-03-15', 2.5, TRUE)"));
            assertEquals(2, update(k, "INSERT INTO t(b, a) VALUES ('it''s', -2), ('z', NULL)"));
            // not plain literals: the source runs as a query, cast to the column types
            assertEquals(1, update(k, "INSERT INTO t VALUES (1 + 2, 'q', 10 / 4.0, NULL, 1, NULL)"));
            assertEquals(List.of("[-2, it's, null, null, null, null]", "[1, x, 1.50, 1995-03-15, 2.5, true]", "[3, q, 2.50, null, 1.0, null]",
                    "[null, z, null, null, null, null]"), rows(k, "SELECT * FROM t ORDER BY a NULLS LAST"));
            // INSERT ... SELECT, also from the table itself (it sees the rows before this INSERT)
            assertEquals(4, update(k, "INSERT INTO t SELECT a * 10, b || '!', c, d, e, f FROM t"));
            assertEquals(List.of("[8, 6, 8.00]"), rows(k, "SELECT count(*), count(a), sum(c) FROM t"));
            assertEquals(List.of("[" + LocalDate.of(1995, 3, 15) + "]"), rows(k, "SELECT max(d) FROM t"));
            try (QueryResult r = k.sql("SELECT c FROM t WHERE a = 30")) {
                assertEquals(new BigDecimal("2.50"), r.get(0, 0));
            }
        }
    }

    @Test
    void insertsBetweenQueriesAppendAndCompact() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE g (v INTEGER, s VARCHAR)").close();
            long sum = 0;
            // more flushes than SqlTables.MAX_BATCHES: the table is rebuilt once on the way
            for (int i = 1; i <= SqlTables.MAX_BATCHES + 6; i++) {
                k.sql("INSERT INTO g VALUES (" + i + ", 'r" + i + "')").close();
                sum += i;
                assertEquals(List.of("[" + i + ", " + sum + ", r" + i + "]"), rows(k, "SELECT count(*), sum(v), max(CASE WHEN v = " + i + " THEN s END) FROM g"));
            }
        }
    }

    @Test
    void deleteKeepsTheRowsWhoseConditionIsNotTrue() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE d(id INTEGER PRIMARY KEY, v INTEGER)").close();
            k.sql("INSERT INTO d VALUES (1, 10), (2, NULL), (3, 30), (4, 40)").close();
            assertEquals(List.of("[4]"), rows(k, "SELECT count(*) FROM d"));
            k.sql("INSERT INTO d VALUES (5, 50)").close();
            // v > 25 is NULL for row 2: kept, as SQL keeps it
            assertEquals(3, update(k, "DELETE FROM d WHERE v > 25"));
            assertEquals(List.of("[1, 10]", "[2, null]"), rows(k, "SELECT * FROM d ORDER BY id"));
            // the deleted keys are free again; the kept ones are not
            assertEquals(1, update(k, "INSERT INTO d VALUES (3, 33)"));
            assertThrows(KilnException.class, () -> k.sql("INSERT INTO d VALUES (1, 11)"));
            assertEquals(1, update(k, "DELETE FROM d WHERE id IN (SELECT id FROM d WHERE v IS NULL)"));
            KilnException bad = assertThrows(KilnException.class, () -> k.sql("DELETE FROM d WHERE nope = 1"));
            assertTrue(bad.getMessage().startsWith("DELETE FROM d: ") && bad.getMessage().endsWith("; nothing was deleted"), bad.getMessage());
            assertEquals(List.of("[1, 10]", "[3, 33]"), rows(k, "SELECT * FROM d ORDER BY id"));
            assertEquals(2, update(k, "DELETE FROM d"));
            assertEquals(List.of("[0]"), rows(k, "SELECT count(*) FROM d"));
        }
    }

    @Test
    void dropViewCascadeAndRestrict() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE b(x INTEGER)").close();
            k.sql("CREATE VIEW v1 AS SELECT x FROM b").close();
            k.sql("CREATE VIEW v2 AS SELECT x FROM v1 WHERE x > 0").close();
            k.sql("CREATE VIEW v3 AS SELECT count(*) AS n FROM v2").close();
            k.sql("CREATE VIEW other AS SELECT 'v1' AS v1x FROM b").close();
            KilnException restrict = assertThrows(KilnException.class, () -> k.sql("DROP VIEW v1 RESTRICT"));
            assertEquals("view 'v1' is used by [v2]; drop those first, or DROP VIEW v1 CASCADE", restrict.getMessage());
            k.sql("DROP VIEW IF EXISTS v1 CASCADE").close();
            assertEquals(List.of("other"), k.viewNames());
            k.sql("DROP VIEW other RESTRICT").close();
            assertEquals(List.of(), k.viewNames());
        }
    }

    @Test
    void uniqueIndexesAreConstraints() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE u(a INTEGER, b VARCHAR, c INTEGER)").close();
            k.sql("INSERT INTO u VALUES (1, 'x', 1), (1, 'y', 2), (NULL, 'x', 3)").close();
            // the index checks the rows already in batches (after this query) and those still pending
            assertEquals(List.of("[3]"), rows(k, "SELECT count(*) FROM u"));
            k.sql("INSERT INTO u VALUES (NULL, 'x', 4)").close();
            KilnException existing = assertThrows(KilnException.class, () -> k.sql("CREATE UNIQUE INDEX ua ON u(a)"));
            assertEquals("CREATE UNIQUE INDEX ua: table u has duplicate key [1]; no index was created", existing.getMessage());
            // (NULL, 'x') twice is not a duplicate: a key with a NULL never is
            assertEquals(0, update(k, "CREATE UNIQUE INDEX uab ON u(a, b DESC)"));
            KilnException dup = assertThrows(KilnException.class, () -> k.sql("INSERT INTO u VALUES (2, 'z', 5), (1, 'y', 6)"));
            assertEquals("INSERT INTO u: duplicate key [1, y] of unique index uab; nothing was inserted", dup.getMessage());
            KilnException within = assertThrows(KilnException.class, () -> k.sql("INSERT INTO u VALUES (3, 'z', 7), (3, 'z', 8)"));
            assertEquals("INSERT INTO u: duplicate key [3, z] of unique index uab; nothing was inserted", within.getMessage());
            assertEquals(2, update(k, "INSERT INTO u VALUES (NULL, 'x', 9), (2, 'y', 10)"));
            assertEquals(List.of("[6, 29]"), rows(k, "SELECT count(*), sum(c) FROM u"));
            KilnException late = assertThrows(KilnException.class, () -> k.sql("INSERT INTO u VALUES (1, 'x', 12)"));
            assertTrue(late.getMessage().contains("duplicate key [1, x]"), "a key from the batches built before the index: " + late.getMessage());
            k.sql("DROP INDEX uab").close();
            assertEquals(1, update(k, "INSERT INTO u VALUES (1, 'y', 11)"));
            KilnException registered = assertThrows(KilnException.class, () -> {
                k.registerTpch(0.01);
                k.sql("CREATE UNIQUE INDEX nk ON nation(n_nationkey)");
            });
            assertTrue(registered.getMessage().contains("UNIQUE indexes are kept on SQL tables only"), registered.getMessage());
        }
    }

    @Test
    void failuresInsertNothing() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE p(id INTEGER PRIMARY KEY, v VARCHAR NOT NULL)").close();
            k.sql("INSERT INTO p VALUES (1, 'a'), (2, 'b')").close();
            KilnException dup = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p VALUES (3, 'c'), (2, 'again')"));
            assertTrue(dup.getMessage().contains("duplicate primary key [2]") && dup.getMessage().contains("nothing was inserted"), dup.getMessage());
            KilnException twice = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p VALUES (5, 'c'), (5, 'd')"));
            assertTrue(twice.getMessage().contains("duplicate primary key [5]"), twice.getMessage());
            KilnException nul = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p(id) VALUES (7)"));
            assertTrue(nul.getMessage().contains("column v is NOT NULL and needs a value"), nul.getMessage());
            assertThrows(KilnException.class, () -> k.sql("INSERT INTO p VALUES (NULL, 'x')"));
            KilnException div = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p VALUES (1 / 0, 'y')"));
            assertTrue(div.getMessage().contains("division by zero"), div.getMessage());
            KilnException width = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p VALUES (9)"));
            assertTrue(width.getMessage().contains("has 1 value(s) for 2 column(s) [id, v]"), width.getMessage());
            KilnException col = assertThrows(KilnException.class, () -> k.sql("INSERT INTO p(id, w) VALUES (9, 'x')"));
            assertTrue(col.getMessage().contains("no column w; the columns are [id, v]"), col.getMessage());
            assertEquals(List.of("[1, a]", "[2, b]"), rows(k, "SELECT * FROM p ORDER BY id"));
        }
    }

    @Test
    void setOperationsOverTablesWithNulls() {
        try (Kiln k = Kiln.open()) {
            k.sql("CREATE TABLE l (x INTEGER)").close();
            k.sql("CREATE TABLE r (y DECIMAL(5,1))").close();
            k.sql("INSERT INTO l VALUES (1), (NULL), (2), (2)").close();
            k.sql("INSERT INTO r VALUES (NULL), (2.0), (3.5)").close();
            // set semantics: duplicates go, NULLs are equal to each other; INTEGER and DECIMAL(5,1) meet as DECIMAL(11,1)
            assertEquals(List.of("[null]", "[2.0]"), rows(k, "SELECT x FROM l INTERSECT SELECT y FROM r ORDER BY 1 NULLS FIRST"));
            assertEquals(List.of("[1.0]"), rows(k, "SELECT x FROM l EXCEPT SELECT y FROM r ORDER BY 1"));
            assertEquals(List.of("[null]", "[1.0]", "[2.0]", "[3.5]"), rows(k, "SELECT x FROM l UNION SELECT y FROM r ORDER BY 1 NULLS FIRST"));
            assertEquals(List.of("[7, 5, 10.5]"), rows(k, "SELECT count(*), count(v), sum(v) FROM (SELECT x AS v FROM l UNION ALL SELECT y FROM r) t"));
            // a multi-row VALUES of expressions is a UNION ALL of its rows
            k.sql("INSERT INTO l VALUES (1 + 1), (2 * 5)").close();
            assertEquals(List.of("[6, 17]"), rows(k, "SELECT count(*), sum(x) FROM l"));
        }
    }

    @Test
    void definitionsAndDrops() {
        try (Kiln k = Kiln.open()) {
            k.registerCsv("sales", java.nio.file.Path.of("src/test/resources/sales.csv"));
            KilnException type = assertThrows(KilnException.class, () -> k.sql("CREATE TABLE u(a BLOB)"));
            assertTrue(type.getMessage().contains("unknown type BLOB") && type.getMessage().contains("VARCHAR"), type.getMessage());
            KilnException check = assertThrows(KilnException.class, () -> k.sql("CREATE TABLE u(a INTEGER, CHECK (a > 0))"));
            assertTrue(check.getMessage().contains("is not supported yet"), check.getMessage());
            KilnException dflt = assertThrows(KilnException.class, () -> k.sql("CREATE TABLE u(a INTEGER DEFAULT 3)"));
            assertTrue(dflt.getMessage().contains("'default 3' is not supported yet"), dflt.getMessage());
            k.sql("CREATE TABLE \"Mixed Case\"(\"Col\" INTEGER, PRIMARY KEY (\"Col\"))").close();
            k.sql("INSERT INTO \"Mixed Case\" VALUES (4)").close();
            assertEquals(List.of("[4]"), rows(k, "SELECT \"Col\" FROM \"Mixed Case\""));
            assertThrows(KilnException.class, () -> k.sql("CREATE TABLE sales(a INTEGER)"));
            assertEquals(0, update(k, "CREATE TABLE IF NOT EXISTS sales(a INTEGER)"));
            KilnException registered = assertThrows(KilnException.class, () -> k.sql("INSERT INTO sales SELECT * FROM sales"));
            assertTrue(registered.getMessage().contains("registered, not created in SQL"), registered.getMessage());
            assertThrows(KilnException.class, () -> k.sql("DROP TABLE sales"));
            k.sql("DROP TABLE \"Mixed Case\" CASCADE").close();
            assertThrows(KilnException.class, () -> k.sql("SELECT * FROM \"Mixed Case\""));
            assertEquals(0, update(k, "DROP TABLE IF EXISTS \"Mixed Case\""));
            KilnException missing = assertThrows(KilnException.class, () -> k.sql("DROP TABLE nothing"));
            assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        }
    }
}
