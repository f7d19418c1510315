package dev.kiln.benchmarks;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** DuckDB in the same JVM (JDBC), loaded with exactly Kiln's rows through a typed CSV export. */
final class DuckDbPeer implements AutoCloseable {
    private final Connection conn;

    DuckDbPeer(int threads) throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
        execute("SET threads = " + threads);
    }

    String version() throws SQLException {
        return query("SELECT version()").getFirst()[0].toString();
    }

    void load(Table t, Path dir) throws IOException, SQLException {
        Path csv = dir.resolve(t.name() + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, java.nio.charset.StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            for (Batch b : t.batches()) {
                for (int i = 0; i < b.rowCount(); i++) {
                    sb.setLength(0);
                    for (int c = 0; c < b.columns().size(); c++) {
                        if (c > 0) sb.append('|');
                        append(sb, b.column(c), i);
                    }
                    sb.append('\n');
                    w.append(sb);
                }
            }
        }
        StringJoiner cols = new StringJoiner(", ", "{", "}");
        for (Field f : t.schema().fields()) cols.add("'" + f.name() + "': '" + type(f.type()) + "'");
        execute("CREATE TABLE " + t.name() + " AS SELECT * FROM read_csv('" + csv + "', delim='|', header=false, quote='', escape='', "
                + "nullstr='\\N', columns=" + cols + ")");
        Files.delete(csv);
    }

    private static void append(StringBuilder sb, ColumnVector v, int row) {
        if (v.isNull(row)) {
            sb.append("\\N");
            return;
        }
        switch (v.type()) {
            case DataType.DecimalType d -> sb.append(BigDecimal.valueOf(v.getLong(row), d.scale()).toPlainString());
            case DataType.DateType d -> sb.append(LocalDate.ofEpochDay(v.getInt(row)));
            case DataType.IntType i -> sb.append(i.bits() == 64 ? v.getLong(row) : (long) v.getInt(row));
            default -> sb.append(v.getObject(row));
        }
    }

    private static String type(DataType t) {
        return t instanceof DataType.DecimalType d ? "DECIMAL(" + d.precision() + "," + d.scale() + ")" : t.sql();
    }

    /** Writes a loaded table as one Parquet file, so that Spark reads exactly the rows Kiln and DuckDB hold. */
    void exportParquet(String table, Path file) throws SQLException {
        execute("COPY " + table + " TO '" + file.toAbsolutePath() + "' (FORMAT parquet)");
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
