package dev.kiln.connectors.parquet;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/** DuckDB as the Parquet writer and as the oracle that reads the same file back. */
final class DuckParquet implements AutoCloseable {
    private final Connection conn;

    DuckParquet() throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
        execute("SET TimeZone = 'UTC'");
    }

    void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** Writes {@code select}'s rows to {@code file} with DuckDB's Parquet writer and the given COPY options. */
    Path write(Path file, String select, String options) throws SQLException {
        execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET" + (options.isEmpty() ? "" : ", " + options) + ")");
        return file;
    }

    /**
     * The rows DuckDB reads from {@code path} (a file or a glob), boxed as Kiln boxes them:
     * integers as Long, FLOAT widened to Double, timestamps as LocalDateTime in UTC, strings.
     */
    List<List<Object>> read(String path, Schema kiln, String where) throws SQLException {
        StringJoiner cols = new StringJoiner(", ");
        for (var f : kiln.fields()) {
            String q = "\"" + f.name() + "\"";
            // timestamps as epoch micros: no time zone can shift them on the way
            cols.add(f.type() instanceof DataType.TimestampType ? "epoch_us(" + q + ")" : q);
        }
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + cols + " FROM read_parquet('" + path + "')" + (where.isEmpty() ? "" : " WHERE " + where))) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < kiln.size(); c++) row.add(box(rs, c + 1, kiln.field(c).type()));
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object box(ResultSet rs, int i, DataType type) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) return null;
        return switch (type) {
            case DataType.IntType t -> ((Number) o).longValue();
            case DataType.DoubleType d -> ((Number) o).doubleValue();
            case DataType.DecimalType d -> ((BigDecimal) o).setScale(d.scale());
            case DataType.DateType d -> rs.getObject(i, java.time.LocalDate.class);
            case DataType.TimestampType t -> {
                long micros = ((Number) o).longValue();
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            case DataType.VarcharType v -> o.toString();
            case DataType.BooleanType b -> o;
            default -> throw new IllegalArgumentException("no oracle mapping for " + type.sql());
        };
    }

    /** The encodings DuckDB reports for the file's column chunks (e.g. "PLAIN", "RLE_DICTIONARY"), and its page codecs. */
    java.util.Set<String> encodings(Path file) throws SQLException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT encodings FROM parquet_metadata('" + file + "')")) {
            while (rs.next()) for (String e : rs.getString(1).split(",")) out.add(e.strip());
        }
        return out;
    }

    /** A Kiln table's rows, boxed by {@link dev.kiln.runtime.vector.ColumnVector#getObject}. */
    static List<List<Object>> rows(Table t) {
        List<List<Object>> rows = new ArrayList<>();
        for (Batch b : t.batches()) {
            for (int r = 0; r < b.rowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < b.columns().size(); c++) row.add(b.column(c).getObject(r));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Rows as text for a readable first difference in a failure. */
    static String show(List<Object> row) {
        return Arrays.toString(row.toArray());
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
