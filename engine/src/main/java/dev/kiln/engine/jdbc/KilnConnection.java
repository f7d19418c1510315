package dev.kiln.engine.jdbc;

import dev.kiln.engine.Kiln;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection: one Kiln session, closed with the connection (which closes its statements and
 * their result sets). Kiln has no transactions: the connection is always in auto-commit mode and
 * read-only as far as table data goes (views can be created and dropped).
 */
final class KilnConnection implements java.sql.Connection, Unwrappable {
    private final Kiln kiln;
    private final String url;
    private final List<KilnStatement> statements = new ArrayList<>();
    private boolean closed;

    KilnConnection(Kiln kiln, String url) {
        this.kiln = kiln;
        this.url = url;
    }

    Kiln kiln() throws SQLException {
        checkOpen();
        return kiln;
    }

    String url() {
        return url;
    }

    void checkOpen() throws SQLException {
        if (closed) throw Errors.closed("connection");
    }

    synchronized void forget(KilnStatement s) {
        statements.remove(s);
    }

    private synchronized <S extends KilnStatement> S track(S s) {
        statements.add(s);
        return s;
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(new KilnStatement(this, ResultSet.TYPE_FORWARD_ONLY));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        return track(new KilnStatement(this, checkType(resultSetType, resultSetConcurrency)));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return createStatement(resultSetType, resultSetConcurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return track(new KilnPreparedStatement(this, ResultSet.TYPE_FORWARD_ONLY, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        return track(new KilnPreparedStatement(this, checkType(resultSetType, resultSetConcurrency), sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return prepareStatement(sql, resultSetType, resultSetConcurrency);
    }

    /** Results are computed in full, so they can scroll; they cannot be updated. */
    private static int checkType(int type, int concurrency) throws SQLException {
        if (concurrency != ResultSet.CONCUR_READ_ONLY) throw Errors.unsupported("an updatable result set (CONCUR_UPDATABLE)");
        if (type != ResultSet.TYPE_FORWARD_ONLY && type != ResultSet.TYPE_SCROLL_INSENSITIVE) {
            throw Errors.unsupported("result set type " + type + " (TYPE_SCROLL_SENSITIVE)");
        }
        return type;
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (!autoCommit) throw Errors.unsupported("a transaction (setAutoCommit(false))");
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return true;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        throw new SQLException("commit() in auto-commit mode: every Kiln statement takes effect at once", Errors.FUNCTION_SEQUENCE);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        throw new SQLException("rollback() in auto-commit mode: Kiln has no transactions", Errors.FUNCTION_SEQUENCE);
    }

    @Override
    public void close() throws SQLException {
        List<KilnStatement> open;
        synchronized (this) {
            if (closed) return;
            closed = true;
            open = List.copyOf(statements);
            statements.clear();
        }
        for (KilnStatement s : open) s.closeFromConnection();
        kiln.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new KilnDatabaseMetaData(this);
    }

    /** Table data cannot be changed through SQL, so the connection is read-only; false is refused. */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (!readOnly) throw Errors.unsupported("a writable connection (Kiln's tables are registered, not written through SQL)");
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return true;
    }

    /** One catalog, unnamed: the value is ignored, as the JDBC contract allows. */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        if (level != TRANSACTION_NONE) throw Errors.unsupported("transaction isolation level " + level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return TRANSACTION_NONE;
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
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) throw new SQLException("isValid needs a timeout of 0 or more seconds, not " + timeout, Errors.INVALID_ARGUMENT);
        return !closed;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        close();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        throw new SQLClientInfoException("the Kiln driver keeps no client info (" + name + ")", Errors.NOT_SUPPORTED, Map.of());
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        throw new SQLClientInfoException("the Kiln driver keeps no client info", Errors.NOT_SUPPORTED, Map.of());
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return new Properties();
    }


    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return Map.of();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        throw Errors.unsupported("a type map (Kiln has no user-defined types)");
    }

    // ---- generated: not supported ----
    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareCall");
    }

    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareCall");
    }

    @Override
    public java.sql.Savepoint setSavepoint() throws java.sql.SQLException {
        throw Errors.unsupported("Connection.setSavepoint");
    }

    @Override
    public java.sql.Savepoint setSavepoint(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.setSavepoint");
    }

    @Override
    public void rollback(java.sql.Savepoint a0) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.rollback");
    }

    @Override
    public void releaseSavepoint(java.sql.Savepoint a0) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.releaseSavepoint");
    }

    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2, int a3) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareCall");
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareStatement");
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareStatement");
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, java.lang.String[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.prepareStatement");
    }

    @Override
    public java.sql.Clob createClob() throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createClob");
    }

    @Override
    public java.sql.Blob createBlob() throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createBlob");
    }

    @Override
    public java.sql.NClob createNClob() throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createNClob");
    }

    @Override
    public java.sql.SQLXML createSQLXML() throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createSQLXML");
    }

    @Override
    public java.sql.Array createArrayOf(java.lang.String a0, java.lang.Object[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createArrayOf");
    }

    @Override
    public java.sql.Struct createStruct(java.lang.String a0, java.lang.Object[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.createStruct");
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("Connection.setNetworkTimeout");
    }
}
