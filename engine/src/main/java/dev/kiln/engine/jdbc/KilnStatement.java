package dev.kiln.engine.jdbc;

import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;

/**
 * A statement: runs one SQL statement at a time through the connection's Kiln session. A query
 * gives a result set (the previous one is closed); INSERT gives the rows it inserted as its update
 * count, CREATE/DROP TABLE, CREATE/DROP VIEW and ANALYZE give 0. Errors are {@link SQLException}s with Kiln's message (what, where, how to
 * fix) and an SQLSTATE ({@link Errors}).
 */
class KilnStatement implements java.sql.Statement, Unwrappable {
    final KilnConnection connection;
    final int resultSetType;
    private KilnResultSet resultSet;
    private long updateCount = -1;
    private long maxRows;
    private int fetchSize;
    private int queryTimeout;
    private boolean closeOnCompletion;
    private SQLWarning warnings;
    boolean closed;

    KilnStatement(KilnConnection connection, int resultSetType) {
        this.connection = connection;
        this.resultSetType = resultSetType;
    }

    void checkOpen() throws SQLException {
        if (closed) throw Errors.closed("statement");
        connection.checkOpen();
    }

    /** Runs {@code sql}; true when it gave a result set. */
    boolean run(String sql) throws SQLException {
        checkOpen();
        closeResultSet();
        updateCount = -1;
        QueryResult r;
        try {
            r = connection.kiln().sql(sql);
        } catch (KilnException e) {
            throw Errors.from(e);
        } catch (RuntimeException e) {
            throw Errors.internal(e);
        }
        if (r.message().isPresent()) {
            r.close();
            updateCount = Math.max(0, r.updateCount());
            return false;
        }
        resultSet = new KilnResultSet(this, r, resultSetType, maxRows);
        return true;
    }

    private void closeResultSet() throws SQLException {
        if (resultSet != null) {
            KilnResultSet rs = resultSet;
            resultSet = null;
            rs.closeFromStatement();
        }
    }

    /** The result set closed itself: with closeOnCompletion the statement closes too. */
    void resultSetClosed(KilnResultSet rs) throws SQLException {
        if (rs == resultSet) resultSet = null;
        if (closeOnCompletion) close();
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        if (!run(sql)) throw new SQLException("executeQuery needs a query, and this statement returns no rows; use execute or executeUpdate", "07005");
        return resultSet;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        if (run(sql)) {
            closeResultSet();
            throw new SQLException("executeUpdate was given a query, which returns rows; use executeQuery or execute", "07005");
        }
        return updateCount;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(sql);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return (int) updateCount;
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        checkOpen();
        closeResultSet();
        updateCount = -1;
        return false;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        return getMoreResults();
    }

    @Override
    public void close() throws SQLException {
        if (closed) return;
        closed = true;
        closeResultSet();
        connection.forget(this);
    }

    void closeFromConnection() throws SQLException {
        if (closed) return;
        closed = true;
        closeResultSet();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return (int) Math.min(maxRows, Integer.MAX_VALUE);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0) throw new SQLException("maxRows must be 0 (no limit) or more, not " + max, Errors.INVALID_ARGUMENT);
        maxRows = max;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max != 0) throw Errors.unsupported("a maximum field size");
    }

    /** Kiln does not rewrite JDBC escapes ({d '...'}, {fn ...}); turning their processing off is accepted. */
    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeout;
    }

    /** Kept, but not enforced: a timeout other than 0 leaves a warning saying so. */
    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) throw new SQLException("the query timeout must be 0 or more seconds, not " + seconds, Errors.INVALID_ARGUMENT);
        queryTimeout = seconds;
        if (seconds > 0) addWarning(new SQLWarning("the Kiln driver does not enforce query timeouts: queries run to completion", "01000"));
    }

    private void addWarning(SQLWarning w) {
        if (warnings == null) warnings = w;
        else warnings.setNextWarning(w);
    }

    @Override
    public void cancel() throws SQLException {
        checkOpen();
        throw Errors.unsupported("cancelling a running statement");
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        checkOpen();
        throw Errors.unsupported("a named cursor (positioned updates)");
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD && resultSetType == ResultSet.TYPE_FORWARD_ONLY) {
            throw new SQLException("a forward-only statement fetches forward only", Errors.INVALID_ARGUMENT);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    /** A hint: Kiln computes the whole result before the first row is read. */
    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) throw new SQLException("the fetch size must be 0 or more, not " + rows, Errors.INVALID_ARGUMENT);
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return resultSetType;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }


    // ---- generated: not supported ----
    @Override
    public void addBatch(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.addBatch");
    }

    @Override
    public void clearBatch() throws java.sql.SQLException {
        throw Errors.unsupported("Statement.clearBatch");
    }

    @Override
    public int[] executeBatch() throws java.sql.SQLException {
        throw Errors.unsupported("Statement.executeBatch");
    }

    @Override
    public java.sql.ResultSet getGeneratedKeys() throws java.sql.SQLException {
        throw Errors.unsupported("Statement.getGeneratedKeys");
    }

    @Override
    public int executeUpdate(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.executeUpdate");
    }

    @Override
    public int executeUpdate(java.lang.String a0, int[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.executeUpdate");
    }

    @Override
    public int executeUpdate(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.executeUpdate");
    }

    @Override
    public boolean execute(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.execute");
    }

    @Override
    public boolean execute(java.lang.String a0, int[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.execute");
    }

    @Override
    public boolean execute(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Statement.execute");
    }
}
