package dev.kiln.engine.jdbc;

import dev.kiln.engine.QueryResult;
import dev.kiln.ir.type.DataType;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Calendar;
import java.util.Locale;

/**
 * A query's rows, read from the off-heap result Kiln computed in full (so the set can also
 * scroll, when the statement asked for TYPE_SCROLL_INSENSITIVE). Getters convert as JDBC's
 * conversion table allows and refuse the rest with SQLSTATE 22018, naming the column, its type and
 * the value; numbers that do not fit the getter's type fail with 22003. Closing it releases the
 * result's memory.
 */
final class KilnResultSet extends ResultSetRefusals implements Unwrappable {
    private final KilnStatement statement;
    private final QueryResult result;
    private final int type;
    private final long rows;
    private long row = -1; // 0-based; -1 before the first row, rows after the last
    private boolean wasNull;
    private boolean closed;

    KilnResultSet(KilnStatement statement, QueryResult result, int type, long maxRows) {
        this.statement = statement;
        this.result = result;
        this.type = type;
        this.rows = maxRows > 0 ? Math.min(maxRows, result.rowCount()) : result.rowCount();
    }

    private void checkOpen() throws SQLException {
        if (closed) throw Errors.closed("result set");
    }

    private void checkScrollable(String what) throws SQLException {
        checkOpen();
        if (type == TYPE_FORWARD_ONLY) {
            throw new SQLException(what + " needs a scrollable result set: create the statement with ResultSet.TYPE_SCROLL_INSENSITIVE", "HY106");
        }
    }

    // ---- cursor ----

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (row < rows) row++;
        return row < rows;
    }

    @Override
    public boolean previous() throws SQLException {
        checkScrollable("previous()");
        if (row >= 0) row--;
        return row >= 0;
    }

    @Override
    public boolean first() throws SQLException {
        checkScrollable("first()");
        row = 0;
        return rows > 0;
    }

    @Override
    public boolean last() throws SQLException {
        checkScrollable("last()");
        row = rows - 1;
        return rows > 0;
    }

    @Override
    public void beforeFirst() throws SQLException {
        checkScrollable("beforeFirst()");
        row = -1;
    }

    @Override
    public void afterLast() throws SQLException {
        checkScrollable("afterLast()");
        row = rows;
    }

    @Override
    public boolean absolute(int r) throws SQLException {
        checkScrollable("absolute()");
        if (r > 0) row = Math.min(r - 1, rows);
        else if (r < 0) row = Math.max(rows + r, -1);
        else row = -1;
        return row >= 0 && row < rows;
    }

    @Override
    public boolean relative(int r) throws SQLException {
        checkScrollable("relative()");
        row = Math.max(-1, Math.min(rows, row + r));
        return row >= 0 && row < rows;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return row < 0 && rows > 0;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return row >= rows && rows > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return row == 0 && rows > 0;
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return row == rows - 1 && rows > 0;
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return row >= 0 && row < rows ? (int) (row + 1) : 0;
    }

    // ---- values ----

    private DataType typeOf(int column) throws SQLException {
        checkColumn(column);
        return result.schema().field(column - 1).type();
    }

    private void checkColumn(int column) throws SQLException {
        if (column < 1 || column > result.columnCount()) {
            throw new SQLException("column " + column + " does not exist: the result has columns 1 to " + result.columnCount() + " " + result.columnNames(),
                    Errors.INVALID_COLUMN);
        }
    }

    /** The value at the cursor, boxed as Kiln gives it (Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime, String). */
    private Object value(int column) throws SQLException {
        checkOpen();
        checkColumn(column);
        if (row < 0 || row >= rows) {
            throw new SQLException("the cursor is not on a row (" + (row < 0 ? "call next() first" : "it is past the last row") + ")", "24000");
        }
        Object v = result.get(row, column - 1);
        wasNull = v == null;
        return v;
    }

    private SQLException cannot(String getter, int column, Object v) throws SQLException {
        return new SQLException(getter + " cannot read column " + column + " (" + result.columnNames().get(column - 1) + ", " + typeOf(column).sql()
                + ") holding " + (v instanceof String ? "'" + v + "'" : v), Errors.INVALID_CAST);
    }

    private long integral(String getter, int column, long min, long max) throws SQLException {
        Object v = value(column);
        if (v == null) return 0;
        long n;
        switch (v) {
            case Long l -> n = l;
            case BigDecimal d -> n = wholePart(getter, column, d);
            case Double d -> {
                if (Double.isNaN(d) || d < -9.223372036854776E18 || d >= 9.223372036854776E18) throw outOfRange(getter, column, v);
                n = (long) (double) d;
            }
            case Boolean b -> n = b ? 1 : 0;
            case String s -> {
                try {
                    n = wholePart(getter, column, new BigDecimal(s.strip()));
                } catch (NumberFormatException e) {
                    throw cannot(getter, column, v);
                }
            }
            default -> throw cannot(getter, column, v);
        }
        if (n < min || n > max) throw outOfRange(getter, column, v);
        return n;
    }

    private long wholePart(String getter, int column, BigDecimal d) throws SQLException {
        BigDecimal whole = d.setScale(0, RoundingMode.DOWN);
        if (whole.toBigInteger().bitLength() > 63) throw outOfRange(getter, column, d);
        return whole.longValueExact();
    }

    private SQLException outOfRange(String getter, int column, Object v) {
        return new SQLException(getter + ": the value " + v + " of column " + column + " (" + result.columnNames().get(column - 1) + ") does not fit", Errors.OUT_OF_RANGE);
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public String getString(int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            case LocalDateTime t -> Timestamp.valueOf(t).toString();
            default -> v.toString();
        };
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case BigDecimal d -> d.signum() != 0;
            case Double d -> d != 0;
            case String s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "t", "1" -> true;
                case "false", "f", "0" -> false;
                default -> throw cannot("getBoolean", column, v);
            };
            default -> throw cannot("getBoolean", column, v);
        };
    }

    @Override
    public byte getByte(int column) throws SQLException {
        return (byte) integral("getByte", column, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    @Override
    public short getShort(int column) throws SQLException {
        return (short) integral("getShort", column, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Override
    public int getInt(int column) throws SQLException {
        return (int) integral("getInt", column, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public long getLong(int column) throws SQLException {
        return integral("getLong", column, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public double getDouble(int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> 0;
            case Long l -> l;
            case BigDecimal d -> d.doubleValue();
            case Double d -> d;
            case Boolean b -> b ? 1 : 0;
            case String s -> {
                try {
                    yield Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    throw cannot("getDouble", column, v);
                }
            }
            default -> throw cannot("getDouble", column, v);
        };
    }

    @Override
    public float getFloat(int column) throws SQLException {
        double d = getDouble(column);
        if (!Double.isInfinite(d) && Math.abs(d) > Float.MAX_VALUE) throw outOfRange("getFloat", column, d);
        return (float) d;
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> null;
            case Long l -> BigDecimal.valueOf(l);
            case BigDecimal d -> d;
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) throw cannot("getBigDecimal", column, v);
                yield BigDecimal.valueOf(d);
            }
            case Boolean b -> b ? BigDecimal.ONE : BigDecimal.ZERO;
            case String s -> {
                try {
                    yield new BigDecimal(s.strip());
                } catch (NumberFormatException e) {
                    throw cannot("getBigDecimal", column, v);
                }
            }
            default -> throw cannot("getBigDecimal", column, v);
        };
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(column);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    private LocalDate localDate(String getter, int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> null;
            case LocalDate d -> d;
            case LocalDateTime t -> t.toLocalDate();
            case String s -> {
                try {
                    yield LocalDate.parse(s.strip());
                } catch (java.time.format.DateTimeParseException e) {
                    throw cannot(getter, column, v);
                }
            }
            default -> throw cannot(getter, column, v);
        };
    }

    private LocalDateTime localDateTime(String getter, int column) throws SQLException {
        Object v = value(column);
        return switch (v) {
            case null -> null;
            case LocalDate d -> d.atStartOfDay();
            case LocalDateTime t -> t;
            case String s -> {
                try {
                    yield Timestamp.valueOf(s.strip()).toLocalDateTime();
                } catch (IllegalArgumentException e) {
                    throw cannot(getter, column, v);
                }
            }
            default -> throw cannot(getter, column, v);
        };
    }

    @Override
    public Date getDate(int column) throws SQLException {
        LocalDate d = localDate("getDate", column);
        return d == null ? null : Date.valueOf(d);
    }

    /** The date at midnight in the calendar's time zone (Kiln's dates carry no zone). */
    @Override
    public Date getDate(int column, Calendar cal) throws SQLException {
        LocalDate d = localDate("getDate", column);
        if (d == null) return null;
        if (cal == null) return Date.valueOf(d);
        return new Date(d.atStartOfDay(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    @Override
    public Timestamp getTimestamp(int column) throws SQLException {
        LocalDateTime t = localDateTime("getTimestamp", column);
        return t == null ? null : Timestamp.valueOf(t);
    }

    @Override
    public Timestamp getTimestamp(int column, Calendar cal) throws SQLException {
        LocalDateTime t = localDateTime("getTimestamp", column);
        if (t == null) return null;
        if (cal == null) return Timestamp.valueOf(t);
        Timestamp ts = new Timestamp(t.atZone(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
        ts.setNanos(t.getNano());
        return ts;
    }

    @Override
    public Time getTime(int column) throws SQLException {
        Object v = value(column);
        if (v == null) return null;
        if (v instanceof LocalDateTime t) return Time.valueOf(t.toLocalTime());
        throw cannot("getTime", column, v);
    }

    @Override
    public Time getTime(int column, Calendar cal) throws SQLException {
        return getTime(column);
    }

    @Override
    public Object getObject(int column) throws SQLException {
        return JdbcTypes.jdbcValue(value(column), typeOf(column));
    }

    @Override
    public <T> T getObject(int column, Class<T> as) throws SQLException {
        if (as == null) throw new SQLException("getObject needs a class", Errors.INVALID_ARGUMENT);
        Object v = value(column);
        if (v == null) return null;
        Object out;
        if (as == String.class) out = getString(column);
        else if (as == Long.class) out = getLong(column);
        else if (as == Integer.class) out = getInt(column);
        else if (as == Short.class) out = getShort(column);
        else if (as == Byte.class) out = getByte(column);
        else if (as == Double.class) out = getDouble(column);
        else if (as == Float.class) out = getFloat(column);
        else if (as == BigDecimal.class) out = getBigDecimal(column);
        else if (as == Boolean.class) out = getBoolean(column);
        else if (as == LocalDate.class) out = localDate("getObject(LocalDate)", column);
        else if (as == LocalDateTime.class) out = localDateTime("getObject(LocalDateTime)", column);
        else if (as == Date.class) out = getDate(column);
        else if (as == Timestamp.class) out = getTimestamp(column);
        else if (as == Object.class) out = getObject(column);
        else throw cannot("getObject(" + as.getSimpleName() + ")", column, v);
        return as.cast(out);
    }

    @Override
    public Object getObject(int column, java.util.Map<String, Class<?>> map) throws SQLException {
        return getObject(column);
    }

    @Override
    public Reader getCharacterStream(int column) throws SQLException {
        String s = getString(column);
        return s == null ? null : new StringReader(s);
    }

    // ---- by label ----

    @Override
    public int findColumn(String label) throws SQLException {
        checkOpen();
        if (label != null) {
            for (int i = 0; i < result.columnCount(); i++) {
                if (result.columnNames().get(i).equalsIgnoreCase(label)) return i + 1;
            }
        }
        throw new SQLException("no column '" + label + "' in the result; its columns are " + result.columnNames(), Errors.INVALID_COLUMN);
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return getByte(findColumn(label));
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(findColumn(label));
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return getFloat(findColumn(label));
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return getDouble(findColumn(label));
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return getBigDecimal(findColumn(label));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
        return getBigDecimal(findColumn(label), scale);
    }

    @Override
    public Date getDate(String label) throws SQLException {
        return getDate(findColumn(label));
    }

    @Override
    public Date getDate(String label, Calendar cal) throws SQLException {
        return getDate(findColumn(label), cal);
    }

    @Override
    public Time getTime(String label) throws SQLException {
        return getTime(findColumn(label));
    }

    @Override
    public Time getTime(String label, Calendar cal) throws SQLException {
        return getTime(findColumn(label), cal);
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return getTimestamp(findColumn(label));
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(label), cal);
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(findColumn(label));
    }

    @Override
    public <T> T getObject(String label, Class<T> as) throws SQLException {
        return getObject(findColumn(label), as);
    }

    @Override
    public Object getObject(String label, java.util.Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(label), map);
    }

    @Override
    public Reader getCharacterStream(String label) throws SQLException {
        return getCharacterStream(findColumn(label));
    }

    // ---- the set itself ----

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new KilnResultSetMetaData(result.columnNames(), result.schema());
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return type;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD && type == TYPE_FORWARD_ONLY) throw new SQLException("a forward-only result set fetches forward only", "HY106");
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return FETCH_FORWARD;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) throw new SQLException("the fetch size must be 0 or more, not " + rows, Errors.INVALID_ARGUMENT);
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public String getCursorName() throws SQLException {
        throw Errors.unsupported("a named cursor");
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public void close() throws SQLException {
        if (closed) return;
        closed = true;
        result.close();
        statement.resultSetClosed(this);
    }

    void closeFromStatement() {
        if (closed) return;
        closed = true;
        result.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}
