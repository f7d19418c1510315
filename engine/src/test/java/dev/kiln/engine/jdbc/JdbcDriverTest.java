package dev.kiln.engine.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.engine.TpchQueries;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC driver against the session API on the same TPC-H data: rows, getters, metadata, errors and their SQLSTATEs. */
class JdbcDriverTest {
    static final String URL = "jdbc:kiln:?tpch=0.01&threads=2";
    static Connection conn;
    static Kiln direct;

    @BeforeAll
    static void open() throws SQLException {
        conn = DriverManager.getConnection(URL); // found through META-INF/services/java.sql.Driver
        direct = Kiln.open();
        direct.registerTpch(0.01);
    }

    @AfterAll
    static void close() throws SQLException {
        conn.close();
        direct.close();
    }

    static List<Object[]> viaApi(String sql) {
        try (QueryResult r = direct.sql(sql)) {
            return r.rows();
        }
    }

    /** Every column of every row through getObject, with Kiln's boxed types (dates as LocalDate). */
    static List<Object[]> viaJdbc(ResultSet rs) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int c = 1; c <= n; c++) {
                Object v = rs.getObject(c);
                row[c - 1] = v instanceof Date d ? d.toLocalDate() : v instanceof Integer i ? (long) i : v;
            }
            out.add(row);
        }
        return out;
    }

    static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "row " + i);
    }

    @Test
    void tpchQueriesReturnTheSessionsRows() throws SQLException {
        for (int q : new int[] {1, 3, 6, 10, 13, 18}) {
            String sql = TpchQueries.text(q);
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                assertSameRows(viaApi(sql), viaJdbc(rs));
            }
        }
    }

    @Test
    void typedGettersAndMetadataOfQ1() throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(TpchQueries.text(1))) {
            ResultSetMetaData md = rs.getMetaData();
            assertEquals(10, md.getColumnCount());
            assertEquals("l_returnflag", md.getColumnLabel(1));
            assertEquals(Types.VARCHAR, md.getColumnType(1));
            assertEquals(Types.DECIMAL, md.getColumnType(3));
            assertEquals(2, md.getScale(3));
            assertEquals(Types.BIGINT, md.getColumnType(10));
            assertEquals(Long.class.getName(), md.getColumnClassName(10));
            assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(1));
            List<Object[]> api = viaApi(TpchQueries.text(1));
            assertTrue(rs.next());
            assertEquals(api.get(0)[0], rs.getString("L_RETURNFLAG")); // labels are case-insensitive
            assertEquals(api.get(0)[2], rs.getBigDecimal(3));
            assertEquals(((BigDecimal) api.get(0)[2]).toPlainString(), rs.getString(3));
            assertEquals((long) (Long) api.get(0)[9], rs.getLong("count_order"));
            assertEquals((int) (long) (Long) api.get(0)[9], rs.getInt(10));
            assertEquals(((BigDecimal) api.get(0)[4]).doubleValue(), rs.getDouble(5));
            assertFalse(rs.wasNull());
            SQLException notANumber = assertThrows(SQLException.class, () -> rs.getInt(1));
            assertEquals("22018", notANumber.getSQLState());
            assertTrue(notANumber.getMessage().contains("l_returnflag"), notANumber.getMessage());
            SQLException noSuchColumn = assertThrows(SQLException.class, () -> rs.getString("revenue"));
            assertEquals("42S22", noSuchColumn.getSQLState());
            assertTrue(noSuchColumn.getMessage().contains("sum_qty"), "lists the columns: " + noSuchColumn.getMessage());
            assertEquals("42S22", assertThrows(SQLException.class, () -> rs.getString(11)).getSQLState());
            int rows = 1;
            while (rs.next()) rows++;
            assertEquals(api.size(), rows);
            assertEquals("24000", assertThrows(SQLException.class, () -> rs.getString(1)).getSQLState());
        }
    }

    @Test
    void datesNullsAndRanges() throws SQLException {
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATE '1995-03-15' AS d, CAST(NULL AS INTEGER) AS n, 3000000000 AS big, CAST(7 AS INTEGER) AS i, 2.5 AS x")) {
            assertTrue(rs.next());
            assertEquals(Date.valueOf("1995-03-15"), rs.getDate("d"));
            assertEquals(LocalDate.of(1995, 3, 15), rs.getObject(1, LocalDate.class));
            assertEquals("1995-03-15", rs.getString(1));
            assertEquals(0, rs.getInt("n"));
            assertTrue(rs.wasNull());
            assertNull(rs.getObject(2));
            assertEquals(3000000000L, rs.getLong(3));
            assertEquals("22003", assertThrows(SQLException.class, () -> rs.getInt(3)).getSQLState());
            assertInstanceOf(Integer.class, rs.getObject(4));
            assertEquals(2, rs.getInt(5)); // JDBC truncates a fraction toward zero
            assertEquals(new BigDecimal("2.5"), rs.getBigDecimal(5));
            assertFalse(rs.next());
        }
    }

    @Test
    void preparedStatementMetadataBeforeExecution() throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT o_orderkey, o_totalprice * 2 AS twice, o_orderdate FROM orders WHERE o_orderkey = ?")) {
            ResultSetMetaData md = p.getMetaData();
            assertEquals(3, md.getColumnCount());
            assertEquals(List.of("o_orderkey", "twice", "o_orderdate"), List.of(md.getColumnLabel(1), md.getColumnLabel(2), md.getColumnLabel(3)));
            assertEquals(List.of(Types.BIGINT, Types.DECIMAL, Types.DATE), List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3)));
        }
        try (PreparedStatement p = conn.prepareStatement("CREATE TABLE meta_t (x INTEGER)")) {
            assertEquals(null, p.getMetaData(), "not a query: no columns (and nothing created)");
        }
        try (Statement s = conn.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM meta_t"), "getMetaData ran nothing");
        }
    }

    @Test
    void preparedStatementsBindLiteralsSafely() throws SQLException {
        String sql = "SELECT count(*) AS n FROM lineitem WHERE l_quantity < ? AND l_shipmode = ? AND l_shipdate >= ?";
        try (PreparedStatement p = conn.prepareStatement(sql)) {
            assertEquals(3, p.getParameterMetaData().getParameterCount());
            p.setInt(1, 24);
            p.setString(2, "AIR");
            p.setDate(3, Date.valueOf("1995-01-01"));
            long expected = (Long) viaApi("SELECT count(*) FROM lineitem WHERE l_quantity < 24 AND l_shipmode = 'AIR' AND l_shipdate >= DATE '1995-01-01'").get(0)[0];
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(expected, rs.getLong(1));
                assertTrue(expected > 0);
            }
            // a value is a value: quotes cannot end the literal
            p.setString(2, "AIR' OR '1' = '1");
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1));
            }
            p.clearParameters();
            p.setInt(1, 24);
            SQLException unset = assertThrows(SQLException.class, p::executeQuery);
            assertEquals("07001", unset.getSQLState());
            assertEquals("07009", assertThrows(SQLException.class, () -> p.setInt(4, 1)).getSQLState());
            assertThrows(SQLException.class, () -> p.executeQuery("SELECT 1"));
        }
        // a marker inside quotes or a comment is not a parameter; a negative value cannot start a comment
        try (PreparedStatement p = conn.prepareStatement("SELECT '?' AS q, 10 -? AS d /* ? */ -- ?")) {
            assertEquals(1, p.getParameterMetaData().getParameterCount());
            p.setLong(1, -5);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("?", rs.getString(1));
                assertEquals(15, rs.getLong(2));
            }
            p.setNull(1, Types.BIGINT);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertNull(rs.getObject(2));
            }
            p.setObject(1, new BigDecimal("-1.25"));
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(new BigDecimal("11.25"), rs.getBigDecimal(2));
            }
        }
    }

    @Test
    void everyParameterKindRoundTrips() throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT ? AS b, ? AS d, ? AS t, ? AS s, ? AS x, ? AS o")) {
            p.setBoolean(1, true);
            p.setDouble(2, 0.1);
            p.setTimestamp(3, java.sql.Timestamp.valueOf("2024-01-05 10:00:00"));
            p.setString(4, "");
            p.setObject(5, LocalDate.of(2000, 2, 29));
            p.setObject(6, 7, Types.BIGINT);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(true, rs.getBoolean(1));
                assertEquals(0.1, rs.getDouble(2));
                assertEquals(java.sql.Timestamp.valueOf("2024-01-05 10:00:00"), rs.getTimestamp(3));
                assertEquals("", rs.getString(4));
                assertFalse(rs.wasNull());
                assertEquals(Date.valueOf("2000-02-29"), rs.getDate(5));
                assertEquals(Types.BIGINT, rs.getMetaData().getColumnType(6));
                assertEquals(7L, rs.getObject(6));
            }
            assertEquals("22000", assertThrows(SQLException.class, () -> p.setDouble(2, Double.NaN)).getSQLState());
            assertEquals("22018", assertThrows(SQLException.class, () -> p.setObject(1, new Object())).getSQLState());
        }
    }

    @Test
    void insertsCountTheirRows() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:kiln:"); Statement s = c.createStatement()) {
            assertEquals(0, s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR)"));
            assertEquals(2, s.executeUpdate("INSERT INTO t VALUES (1, 'a'), (2, 'b')"));
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                p.setInt(1, 3);
                p.setString(2, "c");
                assertEquals(1, p.executeUpdate());
                p.setInt(1, 3);
                assertEquals("23505", assertThrows(SQLException.class, p::executeUpdate).getSQLState()); // duplicate key
                p.setNull(2, Types.VARCHAR);
                p.setNull(1, Types.INTEGER);
                assertEquals("23502", assertThrows(SQLException.class, p::executeUpdate).getSQLState()); // NULL key
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), max(name) FROM t")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1));
                assertEquals("c", rs.getString(2));
            }
            try (ResultSet rs = c.getMetaData().getTables(null, null, "t", null)) {
                assertTrue(rs.next());
                assertEquals("TABLE", rs.getString("TABLE_TYPE"));
            }
        }
    }

    @Test
    void errorsCarrySqlStates() throws SQLException {
        try (Statement s = conn.createStatement()) {
            SQLException syntax = assertThrows(SQLException.class, () -> s.executeQuery("SELEC 1"));
            assertInstanceOf(SQLSyntaxErrorException.class, syntax);
            assertEquals("42000", syntax.getSQLState());
            assertTrue(syntax.getMessage().contains("line 1, column 1"), syntax.getMessage());
            assertEquals("42000", assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table")).getSQLState());
            assertEquals("22012", assertThrows(SQLException.class, () -> s.executeQuery("SELECT count(*) / 0 FROM nation")).getSQLState());
            assertEquals("07005", assertThrows(SQLException.class, () -> s.executeUpdate("SELECT 1")).getSQLState());
            assertEquals("0A000", assertThrows(SQLException.class, () -> s.addBatch("SELECT 1")).getSQLState());
            // the statement still works after errors
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM nation")) {
                assertTrue(rs.next());
                assertEquals(25, rs.getLong(1));
            }
        }
        assertEquals("0A000", assertThrows(SQLException.class, () -> conn.setAutoCommit(false)).getSQLState());
        assertTrue(conn.isWrapperFor(Connection.class));
        assertEquals(conn, conn.unwrap(Connection.class));
        assertEquals("HY024", assertThrows(SQLException.class, () -> conn.unwrap(javax.sql.DataSource.class)).getSQLState());
        assertEquals("0A000", assertThrows(SQLException.class, () -> conn.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)).getSQLState());
    }

    @Test
    void closingCascadesAndClosedObjectsRefuse() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:kiln:?tpch=0.01");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n_name FROM nation ORDER BY n_nationkey");
        assertTrue(rs.next());
        ResultSet second = s.executeQuery("SELECT 1"); // a new execution closes the previous result
        assertTrue(rs.isClosed());
        assertEquals("HY010", assertThrows(SQLException.class, rs::next).getSQLState());
        c.close();
        assertTrue(second.isClosed());
        assertTrue(s.isClosed());
        assertEquals("HY010", assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1")).getSQLState());
        assertEquals("08003", assertThrows(SQLException.class, c::createStatement).getSQLState());
        assertFalse(c.isValid(0));
    }

    @Test
    void scrollableResultsAndForwardOnlyOnes() throws SQLException {
        try (Statement s = conn.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
             ResultSet rs = s.executeQuery("SELECT r_name FROM region ORDER BY r_regionkey")) {
            assertTrue(rs.last());
            assertEquals("MIDDLE EAST", rs.getString(1));
            assertEquals(5, rs.getRow());
            assertTrue(rs.absolute(2));
            assertEquals("AMERICA", rs.getString(1));
            assertTrue(rs.previous());
            assertEquals("AFRICA", rs.getString(1));
            assertFalse(rs.previous());
            assertTrue(rs.isBeforeFirst());
        }
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT r_name FROM region")) {
            assertEquals("HY106", assertThrows(SQLException.class, rs::previous).getSQLState());
        }
        try (Statement s = conn.createStatement()) {
            s.setMaxRows(2);
            try (ResultSet rs = s.executeQuery("SELECT r_name FROM region ORDER BY r_regionkey")) {
                int n = 0;
                while (rs.next()) n++;
                assertEquals(2, n);
            }
        }
    }

    @Test
    void viewsThroughExecuteAndTheCatalogMetadata() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:kiln:?tpch=0.01"); Statement s = c.createStatement()) {
            assertEquals(0, s.executeUpdate("CREATE VIEW asia AS SELECT n_name, n_nationkey FROM nation WHERE n_regionkey = 2"));
            DatabaseMetaData md = c.getMetaData();
            assertEquals("Kiln", md.getDatabaseProductName());
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, null, "%", null)) {
                while (rs.next()) tables.add(rs.getString("TABLE_TYPE") + " " + rs.getString("TABLE_NAME"));
            }
            assertEquals(List.of("TABLE customer", "TABLE lineitem", "TABLE nation", "TABLE orders", "TABLE part", "TABLE partsupp", "TABLE region",
                    "TABLE supplier", "VIEW asia"), tables);
            try (ResultSet rs = md.getTables(null, null, "p%", new String[] {"TABLE"})) {
                List<String> p = new ArrayList<>();
                while (rs.next()) p.add(rs.getString(3));
                assertEquals(List.of("part", "partsupp"), p);
            }
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, null, "orders", "o\\_order%")) {
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getInt("ORDINAL_POSITION"));
            }
            assertEquals(List.of("o_orderkey:" + Types.BIGINT + ":1", "o_orderstatus:" + Types.VARCHAR + ":3", "o_orderdate:" + Types.DATE + ":5",
                    "o_orderpriority:" + Types.VARCHAR + ":6"), cols); // the escaped _ matches only itself: not o_custkey
            try (ResultSet rs = md.getColumns(null, null, "asia", null)) {
                assertTrue(rs.next());
                assertEquals("n_name", rs.getString("COLUMN_NAME"));
                assertTrue(rs.next());
                assertEquals(Types.BIGINT, rs.getInt("DATA_TYPE")); // n_nationkey
                assertFalse(rs.next());
            }
            assertEquals(0, s.executeUpdate("DROP VIEW asia"));
            try (ResultSet rs = md.getTables(null, null, "asia", null)) {
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void aDirectoryOfFilesIsADatabase(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("src/test/resources/sales.csv"), dir.resolve("sales.csv"));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement d = duck.createStatement()) {
            d.execute("COPY (SELECT range AS id, range % 7 AS k FROM range(1000)) TO '" + dir.resolve("nums.parquet") + "' (FORMAT PARQUET)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:kiln:" + dir); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(k) FROM nums")) {
                assertTrue(rs.next());
                assertEquals(1000, rs.getLong(1));
                long expected = 0;
                for (int i = 0; i < 1000; i++) expected += i % 7;
                assertEquals(expected, rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sales")) {
                assertTrue(rs.next());
                assertEquals(30, rs.getLong(1));
            }
        }
    }

    @Test
    void badUrlsSayWhatIsWrong(@TempDir Path dir) {
        SQLException unknown = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:kiln:?tcph=1"));
        assertEquals("08001", unknown.getSQLState());
        assertTrue(unknown.getMessage().contains("unknown option 'tcph'") && unknown.getMessage().contains("tpch"), unknown.getMessage());
        SQLException missing = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:kiln:" + dir.resolve("nope")));
        assertEquals("08001", missing.getSQLState());
        assertTrue(missing.getMessage().contains("no directory"), missing.getMessage());
        assertEquals("08001", assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:kiln:?memory=lots")).getSQLState());
        assertEquals("08001", assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:kiln:?tpch=-1")).getSQLState());
    }

    /** A STRUCT column (an image table's image) reads as a java.sql.Struct, its fields as getObject gives columns; NULL as null. */
    @Test
    void structColumnsAreJdbcStructs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(5, 3, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", dir.resolve("a.png").toFile());
        Files.writeString(dir.resolve("b.png"), "no image");
        try (Kiln kiln = Kiln.open(); Connection c = new KilnConnection(kiln, "jdbc:kiln:"); Statement s = c.createStatement()) {
            kiln.registerImages("images", dir);
            try (ResultSet rs = s.executeQuery("SELECT origin, image FROM images ORDER BY origin")) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(Types.STRUCT, md.getColumnType(2));
                assertEquals(java.sql.Struct.class.getName(), md.getColumnClassName(2));
                assertTrue(rs.next());
                java.sql.Struct img = assertInstanceOf(java.sql.Struct.class, rs.getObject(2));
                assertTrue(img.getSQLTypeName().startsWith("STRUCT(origin VARCHAR, height INTEGER"), img.getSQLTypeName());
                Object[] f = img.getAttributes();
                assertEquals(List.of(rs.getString(1), 3, 5, 3, 16), List.of(f[0], f[1], f[2], f[3], f[4]));
                assertTrue(rs.next());
                assertNull(rs.getObject(2));
                assertTrue(rs.wasNull());
                assertFalse(rs.next());
            }
        }
    }
}
