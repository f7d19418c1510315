package dev.kiln.engine.jdbc;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.sql.SQLException;
import java.util.List;

/** Column names, types, sizes and nullability of a result (or of a prepared query). */
final class KilnResultSetMetaData implements java.sql.ResultSetMetaData, Unwrappable {
    private final List<String> names;
    private final Schema schema;

    KilnResultSetMetaData(List<String> names, Schema schema) {
        this.names = List.copyOf(names);
        this.schema = schema;
    }

    private DataType type(int column) throws SQLException {
        if (column < 1 || column > names.size()) {
            throw new SQLException("column " + column + " does not exist: the result has columns 1 to " + names.size() + " " + names, Errors.INVALID_COLUMN);
        }
        return schema.field(column - 1).type();
    }

    @Override
    public int getColumnCount() {
        return names.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        type(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return type(column) instanceof DataType.VarcharType;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        type(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        type(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        type(column);
        return schema.field(column - 1).nullable() ? columnNullable : columnNoNulls;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return JdbcTypes.signed(type(column));
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        return JdbcTypes.displaySize(type(column));
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        type(column);
        return names.get(column - 1);
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return getColumnLabel(column);
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        type(column);
        return "";
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return JdbcTypes.precision(type(column));
    }

    @Override
    public int getScale(int column) throws SQLException {
        return JdbcTypes.scale(type(column));
    }

    /** Not tracked through the plan: "" as JDBC allows. */
    @Override
    public String getTableName(int column) throws SQLException {
        type(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        type(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return JdbcTypes.code(type(column));
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return JdbcTypes.name(type(column));
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        type(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        type(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        type(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return JdbcTypes.className(type(column));
    }

}
