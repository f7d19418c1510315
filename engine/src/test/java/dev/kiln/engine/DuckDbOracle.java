package dev.kiln.engine;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB (in-process, JDBC) loaded with exactly the rows of Kiln's tables, used as the oracle.
 * Values go through DuckDB's Appender as typed values (DECIMAL(p,s) as BigDecimal, DATE as
 * LocalDate, integers at their width), never through text, into tables declared with the same
 * SQL types.
 */
final class DuckDbOracle implements AutoCloseable {
    private final DuckDBConnection conn;

    DuckDbOracle() throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
    }

    void load(Table t) throws SQLException {
        StringJoiner cols = new StringJoiner(", ", "(", ")");
        for (Field f : t.schema().fields()) cols.add("\"" + f.name() + "\" " + duckType(f.type()) + (f.nullable() ? "" : " NOT NULL"));
        execute("CREATE TABLE \"" + t.name() + "\" " + cols);
        try (DuckDBAppender app = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, t.name())) {
            for (Batch b : t.batches()) {
                for (int i = 0; i < b.rowCount(); i++) {
                    app.beginRow();
                    for (ColumnVector v : b.columns()) append(app, v, i);
                    app.endRow();
                }
            }
        }
    }

    private static void append(DuckDBAppender app, ColumnVector v, int row) throws SQLException {
        Object value = v.getObject(row);
        switch (value) {
            case null -> app.appendNull();
            case Long l when v.type() instanceof DataType.IntType i && i.bits() <= 32 -> app.append(l.intValue());
            case Long l -> app.append(l.longValue());
            case Boolean b -> app.append(b.booleanValue());
            case Double d -> app.append(d.doubleValue());
            case java.math.BigDecimal d -> app.append(d);
            case java.time.LocalDate d -> app.append(d);
            case java.time.LocalDateTime d -> app.append(d);
            case String s -> app.append(s);
            default -> throw new IllegalArgumentException("no DuckDB mapping for " + value.getClass());
        }
    }

    static String duckType(DataType t) {
        return switch (t) {
            case DataType.DecimalType d -> "DECIMAL(" + d.precision() + "," + d.scale() + ")";
            case DataType.DoubleType d -> "DOUBLE";
            default -> t.sql();
        };
    }

    void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    List<Object[]> query(String sql) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) row[c] = rs.getObject(c + 1);
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
