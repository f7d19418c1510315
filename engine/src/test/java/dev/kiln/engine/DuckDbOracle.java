package dev.kiln.engine;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * DuckDB (in-process, JDBC) loaded with exactly the rows of Kiln's tables, used as the oracle:
 * tables are written to CSV with explicit column types and read back with DuckDB's read_csv.
 */
final class DuckDbOracle implements AutoCloseable {
    private final Connection conn;

    DuckDbOracle() throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
    }

    void load(Table t, Path dir) throws IOException, SQLException {
        Path csv = dir.resolve(t.name() + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            for (Batch b : t.batches()) {
                for (int i = 0; i < b.rowCount(); i++) {
                    StringJoiner row = new StringJoiner("|");
                    for (int c = 0; c < b.columns().size(); c++) {
                        Object v = b.column(c).getObject(i);
                        String s = v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
                        row.add(s.contains("|") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                    }
                    w.write(row.toString());
                    w.write('\n');
                }
            }
        }
        StringJoiner cols = new StringJoiner(", ", "{", "}");
        for (Field f : t.schema().fields()) cols.add("'" + f.name() + "': '" + duckType(f.type()) + "'");
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE " + t.name() + " AS SELECT * FROM read_csv('" + csv + "', delim='|', header=false, quote='\"', "
                    + "nullstr='', columns=" + cols + ")");
        }
        Files.delete(csv);
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
