package dev.kiln.engine.jdbc;

import dev.kiln.frontend.SqlLiterals;
import dev.kiln.frontend.SqlText;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.ParameterMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A statement with {@code ?} parameter markers (outside quotes and comments). Each execution
 * binds the values as typed SQL literals: Kiln compiles literals into parameters of its
 * generated classes, so executions that differ only in their values reuse the compiled classes
 * (the class cache), and a value can never change the statement's structure (strings are quoted
 * with their quotes doubled; negative numbers are parenthesized).
 */
final class KilnPreparedStatement extends KilnStatement implements java.sql.PreparedStatement {
    private final String sql;
    /** The text between markers: parts[0] ? parts[1] ? ... parts[n]. */
    private final List<String> parts = new ArrayList<>();
    private final String[] literals;
    private final int[] types;

    KilnPreparedStatement(KilnConnection connection, int resultSetType, String sql) throws SQLException {
        super(connection, resultSetType);
        if (sql == null) throw new SQLException("prepareStatement needs SQL text, not null", Errors.INVALID_ARGUMENT);
        this.sql = sql;
        BitSet code = SqlText.code(sql);
        int from = 0;
        for (int i = code.nextSetBit(0); i >= 0; i = code.nextSetBit(i + 1)) {
            if (sql.charAt(i) != '?') continue;
            parts.add(sql.substring(from, i));
            from = i + 1;
        }
        parts.add(sql.substring(from));
        literals = new String[parts.size() - 1];
        types = new int[literals.length];
    }

    private String bound() throws SQLException {
        checkOpen();
        StringBuilder sb = new StringBuilder(parts.getFirst());
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " of " + literals.length + " is not set (set every ? before executing)", Errors.PARAMETER_NOT_SET);
            }
            // spaces keep a literal from joining the text around it (x-? with -1 would start a comment)
            sb.append(' ').append(literals[i]).append(' ').append(parts.get(i + 1));
        }
        return sb.toString();
    }

    private void bind(int index, String literal, int type) throws SQLException {
        checkOpen();
        if (index < 1 || index > literals.length) {
            throw new SQLException("parameter " + index + " does not exist: the statement has " + literals.length + " parameter marker(s)", Errors.INVALID_PARAMETER);
        }
        literals[index - 1] = literal;
        types[index - 1] = type;
    }

    /** A value as SQL literal text ({@link SqlLiterals}: the typed queries write their values the same way). */
    private static String literal(Object value) {
        return SqlLiterals.of(value, dev.kiln.ir.type.DataType.VARCHAR);
    }

    /** The SQL type name for CAST, for the JDBC type codes Kiln has. */
    private static String sqlType(int type) throws SQLException {
        return switch (type) {
            case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
            case Types.TINYINT -> "TINYINT";
            case Types.SMALLINT -> "SMALLINT";
            case Types.INTEGER -> "INTEGER";
            case Types.BIGINT -> "BIGINT";
            case Types.DECIMAL, Types.NUMERIC -> "DECIMAL(18, 6)";
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> "DOUBLE";
            case Types.DATE -> "DATE";
            case Types.TIMESTAMP -> "TIMESTAMP";
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGNVARCHAR -> "VARCHAR";
            default -> throw Errors.unsupported("a parameter of JDBC type " + type);
        };
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        bind(index, sqlType == Types.NULL || sqlType == Types.OTHER ? "NULL" : "CAST(NULL AS " + sqlType(sqlType) + ")", sqlType);
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        setNull(index, sqlType);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        bind(index, x ? "TRUE" : "FALSE", Types.BOOLEAN);
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        bind(index, "CAST(" + literal(x) + " AS TINYINT)", Types.TINYINT);
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        bind(index, "CAST(" + literal(x) + " AS SMALLINT)", Types.SMALLINT);
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        bind(index, literal(x), Types.INTEGER);
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        bind(index, x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? "CAST(" + literal(x) + " AS BIGINT)" : literal(x), Types.BIGINT);
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        setDouble(index, x);
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw new SQLException("parameter " + index + ": SQL has no literal for " + x + "; Kiln's DOUBLE parameters must be finite", Errors.DATA_EXCEPTION);
        }
        bind(index, literal(x), Types.DOUBLE);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        if (x == null) {
            setNull(index, Types.DECIMAL);
            return;
        }
        bind(index, literal(x), Types.DECIMAL);
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        if (x == null) setNull(index, Types.VARCHAR);
        else bind(index, literal(x), Types.VARCHAR);
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        setString(index, x);
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        if (x == null) setNull(index, Types.DATE);
        else bind(index, literal(x.toLocalDate()), Types.DATE);
    }

    @Override
    public void setDate(int index, Date x, java.util.Calendar cal) throws SQLException {
        setDate(index, x);
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        if (x == null) setNull(index, Types.TIMESTAMP);
        else bind(index, literal(x.toLocalDateTime()), Types.TIMESTAMP); // seconds and microseconds always written
    }

    @Override
    public void setTimestamp(int index, Timestamp x, java.util.Calendar cal) throws SQLException {
        setTimestamp(index, x);
    }

    @Override
    public void setCharacterStream(int index, Reader reader) throws SQLException {
        if (reader == null) {
            setNull(index, Types.VARCHAR);
            return;
        }
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = reader.read(buf)) > 0; ) sb.append(buf, 0, n);
        } catch (IOException e) {
            throw new SQLException("parameter " + index + ": reading the character stream failed: " + e.getMessage(), Errors.DATA_EXCEPTION, e);
        }
        setString(index, sb.toString());
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        switch (x) {
            case null -> setNull(index, Types.NULL);
            case String s -> setString(index, s);
            case Character c -> setString(index, c.toString());
            case Integer i -> setInt(index, i);
            case Long l -> setLong(index, l);
            case Short s -> setShort(index, s);
            case Byte b -> setByte(index, b);
            case BigInteger b -> setBigDecimal(index, new BigDecimal(b));
            case BigDecimal d -> setBigDecimal(index, d);
            case Double d -> setDouble(index, d);
            case Float f -> setFloat(index, f);
            case Boolean b -> setBoolean(index, b);
            case Date d -> setDate(index, d);
            case Timestamp t -> setTimestamp(index, t);
            case LocalDate d -> setDate(index, Date.valueOf(d));
            case LocalDateTime t -> setTimestamp(index, Timestamp.valueOf(t));
            case java.util.Date d -> setTimestamp(index, new Timestamp(d.getTime()));
            default -> throw new SQLException("parameter " + index + ": the Kiln driver cannot bind a " + x.getClass().getName()
                    + " (use String, a number, Boolean, LocalDate, LocalDateTime, java.sql.Date or Timestamp)", Errors.INVALID_CAST);
        }
    }

    /** The value bound as by {@link #setObject(int, Object)}, then cast to the target type. */
    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        if (x == null) {
            setNull(index, targetSqlType);
            return;
        }
        setObject(index, x);
        bind(index, "CAST(" + literals[index - 1] + " AS " + sqlType(targetSqlType) + ")", targetSqlType);
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        setObject(index, x, targetSqlType);
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        java.util.Arrays.fill(literals, null);
        java.util.Arrays.fill(types, 0);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return super.executeQuery(bound());
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) super.executeLargeUpdate(bound());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return super.executeLargeUpdate(bound());
    }

    @Override
    public boolean execute() throws SQLException {
        return run(bound());
    }

    private SQLException textGiven() {
        return new SQLException("a PreparedStatement runs the SQL it was prepared with; call executeQuery() without text", "HY000");
    }

    @Override
    public ResultSet executeQuery(String text) throws SQLException {
        throw textGiven();
    }

    @Override
    public int executeUpdate(String text) throws SQLException {
        throw textGiven();
    }

    @Override
    public long executeLargeUpdate(String text) throws SQLException {
        throw textGiven();
    }

    @Override
    public boolean execute(String text) throws SQLException {
        throw textGiven();
    }

    /** Kiln learns a query's columns by planning it with its values; before execution the driver cannot say (null, as JDBC allows). */
    @Override
    /**
     * The columns the query will return, from its plan, before it runs; parameters not yet set
     * count as NULL. Null for a statement that is not a query, or whose columns cannot be known
     * before its parameters are set (as JDBC allows).
     */
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        StringBuilder sb = new StringBuilder(parts.getFirst());
        for (int i = 0; i < literals.length; i++) sb.append(' ').append(literals[i] == null ? "NULL" : literals[i]).append(' ').append(parts.get(i + 1));
        dev.kiln.engine.Kiln kiln = connection.kiln();
        try {
            if (!kiln.isQuery(sb.toString())) return null;
            dev.kiln.ir.type.Schema schema = kiln.resultSchema(sb.toString());
            return new KilnResultSetMetaData(schema.names(), schema);
        } catch (dev.kiln.ir.KilnException e) {
            return null;
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        int[] known = types.clone();
        return new ParameterMetaData() {
            private void check(int p) throws SQLException {
                if (p < 1 || p > known.length) throw new SQLException("parameter " + p + " does not exist: the statement has " + known.length, Errors.INVALID_PARAMETER);
            }

            @Override
            public int getParameterCount() {
                return known.length;
            }

            @Override
            public int isNullable(int p) throws SQLException {
                check(p);
                return parameterNullableUnknown;
            }

            @Override
            public boolean isSigned(int p) throws SQLException {
                check(p);
                return true;
            }

            @Override
            public int getPrecision(int p) throws SQLException {
                check(p);
                return 0;
            }

            @Override
            public int getScale(int p) throws SQLException {
                check(p);
                return 0;
            }

            /** The type of the value bound so far (OTHER before one is): Kiln types a parameter by its literal. */
            @Override
            public int getParameterType(int p) throws SQLException {
                check(p);
                return known[p - 1] == 0 ? Types.OTHER : known[p - 1];
            }

            @Override
            public String getParameterTypeName(int p) throws SQLException {
                int t = getParameterType(p);
                return t == Types.OTHER || t == Types.NULL ? "UNKNOWN" : sqlType(t);
            }

            @Override
            public String getParameterClassName(int p) throws SQLException {
                check(p);
                return Object.class.getName();
            }

            @Override
            public int getParameterMode(int p) throws SQLException {
                check(p);
                return parameterModeIn;
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper", Errors.INVALID_ARGUMENT);
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    @Override
    public String toString() {
        return sql;
    }

    // ---- generated: not supported ----
    @Override
    public void setBytes(int a0, byte[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBytes");
    }

    @Override
    public void setTime(int a0, java.sql.Time a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setTime");
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setAsciiStream");
    }

    @Override
    public void setUnicodeStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setUnicodeStream");
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBinaryStream");
    }

    @Override
    public void addBatch() throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.addBatch");
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setCharacterStream");
    }

    @Override
    public void setRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setRef");
    }

    @Override
    public void setBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBlob");
    }

    @Override
    public void setClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setClob");
    }

    @Override
    public void setArray(int a0, java.sql.Array a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setArray");
    }

    @Override
    public void setTime(int a0, java.sql.Time a1, java.util.Calendar a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setTime");
    }

    @Override
    public void setURL(int a0, java.net.URL a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setURL");
    }

    @Override
    public void setRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setRowId");
    }

    @Override
    public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setNCharacterStream");
    }

    @Override
    public void setNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setNClob");
    }

    @Override
    public void setClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setClob");
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBlob");
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setNClob");
    }

    @Override
    public void setSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setSQLXML");
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setAsciiStream");
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBinaryStream");
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setCharacterStream");
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setAsciiStream");
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBinaryStream");
    }

    @Override
    public void setNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setNCharacterStream");
    }

    @Override
    public void setClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setClob");
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setBlob");
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("PreparedStatement.setNClob");
    }
}
