package dev.kiln.engine.jdbc;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a tool needs to browse a Kiln database: its tables and views (one unnamed catalog and
 * schema), their columns with JDBC types, the types Kiln has, and what the SQL dialect supports.
 * The metadata result sets are Kiln queries over VALUES, so they read like any other result set.
 */
final class KilnDatabaseMetaData extends DatabaseMetaDataDefaults implements Unwrappable {
    private final KilnConnection connection;

    KilnDatabaseMetaData(KilnConnection connection) {
        this.connection = connection;
    }

    /** A column of a metadata result: its name and SQL type. */
    private record Col(String name, String type) {}

    private static Col text(String name) {
        return new Col(name, "VARCHAR");
    }

    private static Col integer(String name) {
        return new Col(name, "INTEGER");
    }

    private static Col small(String name) {
        return new Col(name, "SMALLINT");
    }

    /** A result set of {@code rows} (Strings, Integers, Booleans or nulls) as a Kiln query. */
    private ResultSet rows(List<Col> cols, List<Object[]> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int c = 0; c < cols.size(); c++) {
            if (c > 0) sql.append(", ");
            sql.append("CAST(c").append(c).append(" AS ").append(cols.get(c).type()).append(") AS \"").append(cols.get(c).name()).append('"');
        }
        sql.append(" FROM (VALUES ");
        List<Object[]> body = rows.isEmpty() ? List.<Object[]>of(new Object[cols.size()]) : rows;
        for (int r = 0; r < body.size(); r++) {
            if (r > 0) sql.append(", ");
            sql.append('(');
            for (int c = 0; c < cols.size(); c++) {
                if (c > 0) sql.append(", ");
                Object v = body.get(r)[c];
                sql.append(switch (v) {
                    case null -> "CAST(NULL AS " + cols.get(c).type() + ")";
                    case String s -> "'" + s.replace("'", "''") + "'";
                    case Boolean b -> b ? "TRUE" : "FALSE";
                    default -> v.toString();
                });
            }
            sql.append(')');
        }
        sql.append(") AS t(");
        for (int c = 0; c < cols.size(); c++) sql.append(c > 0 ? ", c" : "c").append(c);
        sql.append(')');
        if (rows.isEmpty()) sql.append(" WHERE FALSE");
        KilnStatement s = (KilnStatement) connection.createStatement();
        s.closeOnCompletion();
        return s.executeQuery(sql.toString());
    }

    /** A JDBC search pattern (% any run, _ one character, \ escapes) as a case-insensitive regex; null matches all. */
    static Pattern like(String pattern) {
        if (pattern == null) return Pattern.compile(".*", Pattern.DOTALL);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            else if (c == '%') re.append(".*");
            else if (c == '_') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** The schema has no name; a schema or catalog pattern matches it only if it matches "" (or is null). */
    private static boolean ours(String catalog, String schemaPattern) {
        return (catalog == null || catalog.isEmpty()) && (schemaPattern == null || like(schemaPattern).matcher("").matches());
    }

    private record Named(String name, String type) {}

    private List<Named> relations(String tablePattern, String[] types) throws SQLException {
        Kiln kiln = connection.kiln();
        Pattern p = like(tablePattern);
        List<String> wanted = types == null ? List.of("TABLE", "VIEW") : List.of(types);
        List<Named> out = new ArrayList<>();
        if (wanted.contains("TABLE")) for (String t : kiln.tableNames()) if (p.matcher(t).matches()) out.add(new Named(t, "TABLE"));
        if (wanted.contains("VIEW")) for (String v : kiln.viewNames()) if (p.matcher(v).matches()) out.add(new Named(v, "VIEW"));
        out.sort(java.util.Comparator.comparing(Named::type).thenComparing(Named::name));
        return out;
    }

    private Schema schemaOf(Named r) throws SQLException {
        Kiln kiln = connection.kiln();
        if (r.type().equals("TABLE")) return kiln.tableInfo(r.name()).schema();
        // a view's columns are those of its query: plan it without reading rows
        try (QueryResult q = kiln.sql("SELECT * FROM \"" + r.name().replace("\"", "\"\"") + "\" WHERE FALSE")) {
            return q.schema();
        } catch (KilnException e) {
            throw Errors.from(e);
        }
    }

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        if (ours(catalog, schemaPattern)) {
            for (Named r : relations(tableNamePattern, types)) rows.add(new Object[] {null, null, r.name(), r.type(), null, null, null, null, null, null});
        }
        return rows(List.of(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"), text("TABLE_TYPE"), text("REMARKS"), text("TYPE_CAT"),
                text("TYPE_SCHEM"), text("TYPE_NAME"), text("SELF_REFERENCING_COL_NAME"), text("REF_GENERATION")), rows);
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        if (ours(catalog, schemaPattern)) {
            Pattern cp = like(columnNamePattern);
            for (Named r : relations(tableNamePattern, null)) {
                Schema s = schemaOf(r);
                for (int i = 0; i < s.size(); i++) {
                    Field f = s.field(i);
                    if (!cp.matcher(f.name()).matches()) continue;
                    int code = JdbcTypes.code(f.type());
                    boolean numeric = f.type().isNumeric();
                    rows.add(new Object[] {null, null, r.name(), f.name(), code, JdbcTypes.name(f.type()), JdbcTypes.precision(f.type()), null,
                            numeric ? JdbcTypes.scale(f.type()) : null, numeric ? 10 : null, f.nullable() ? columnNullable : columnNoNulls, null, null,
                            null, null, code == Types.VARCHAR ? Integer.MAX_VALUE : null, i + 1, f.nullable() ? "YES" : "NO", null, null, null, null, "NO", "NO"});
                }
            }
        }
        return rows(List.of(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"), text("COLUMN_NAME"), integer("DATA_TYPE"), text("TYPE_NAME"),
                integer("COLUMN_SIZE"), integer("BUFFER_LENGTH"), integer("DECIMAL_DIGITS"), integer("NUM_PREC_RADIX"), integer("NULLABLE"), text("REMARKS"),
                text("COLUMN_DEF"), integer("SQL_DATA_TYPE"), integer("SQL_DATETIME_SUB"), integer("CHAR_OCTET_LENGTH"), integer("ORDINAL_POSITION"),
                text("IS_NULLABLE"), text("SCOPE_CATALOG"), text("SCOPE_SCHEMA"), text("SCOPE_TABLE"), small("SOURCE_DATA_TYPE"), text("IS_AUTOINCREMENT"),
                text("IS_GENERATEDCOLUMN")), rows);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    /** One schema, unnamed: no rows, as for a database without schemas. */
    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        return rows(List.of(text("TABLE_SCHEM"), text("TABLE_CATALOG")), List.of());
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return rows(List.of(text("TABLE_CAT")), List.of());
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        return rows(List.of(text("TABLE_TYPE")), List.<Object[]>of(new Object[] {"TABLE"}, new Object[] {"VIEW"}));
    }

    /** Kiln's tables declare no keys. */
    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        return rows(List.of(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"), text("COLUMN_NAME"), small("KEY_SEQ"), text("PK_NAME")), List.of());
    }

    private ResultSet noKeys() throws SQLException {
        return rows(List.of(text("PKTABLE_CAT"), text("PKTABLE_SCHEM"), text("PKTABLE_NAME"), text("PKCOLUMN_NAME"), text("FKTABLE_CAT"), text("FKTABLE_SCHEM"),
                text("FKTABLE_NAME"), text("FKCOLUMN_NAME"), small("KEY_SEQ"), small("UPDATE_RULE"), small("DELETE_RULE"), text("FK_NAME"), text("PK_NAME"),
                small("DEFERRABILITY")), List.of());
    }

    @Override
    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        return noKeys();
    }

    @Override
    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        return noKeys();
    }

    /** No indexes: Kiln scans columns and builds hash tables per query. */
    @Override
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate) throws SQLException {
        return rows(List.of(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"), new Col("NON_UNIQUE", "BOOLEAN"), text("INDEX_QUALIFIER"),
                text("INDEX_NAME"), small("TYPE"), small("ORDINAL_POSITION"), text("COLUMN_NAME"), text("ASC_OR_DESC"), new Col("CARDINALITY", "BIGINT"),
                new Col("PAGES", "BIGINT"), text("FILTER_CONDITION")), List.of());
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        Object[][] types = {
            {"BOOLEAN", Types.BOOLEAN, 1, false}, {"TINYINT", Types.TINYINT, 3, false}, {"SMALLINT", Types.SMALLINT, 5, false},
            {"INTEGER", Types.INTEGER, 10, false}, {"BIGINT", Types.BIGINT, 19, false}, {"DECIMAL", Types.DECIMAL, 18, false},
            {"DOUBLE", Types.DOUBLE, 15, false}, {"VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, true}, {"DATE", Types.DATE, 10, false},
            {"TIMESTAMP", Types.TIMESTAMP, 29, false}};
        for (Object[] t : types) {
            boolean quoted = (Boolean) t[3] || t[0].equals("DATE") || t[0].equals("TIMESTAMP");
            boolean number = !(Boolean) t[3] && !t[0].equals("BOOLEAN") && !t[0].equals("DATE") && !t[0].equals("TIMESTAMP");
            rows.add(new Object[] {t[0], t[1], t[2], quoted ? "'" : null, quoted ? "'" : null, t[0].equals("DECIMAL") ? "precision,scale" : null, typeNullable,
                    t[0].equals("VARCHAR"), typeSearchable, number ? false : null, false, false, t[0], 0, t[0].equals("DECIMAL") ? 18 : 0, null, null,
                    number ? 10 : null});
        }
        return rows(List.of(text("TYPE_NAME"), integer("DATA_TYPE"), integer("PRECISION"), text("LITERAL_PREFIX"), text("LITERAL_SUFFIX"),
                text("CREATE_PARAMS"), small("NULLABLE"), new Col("CASE_SENSITIVE", "BOOLEAN"), small("SEARCHABLE"), new Col("UNSIGNED_ATTRIBUTE", "BOOLEAN"),
                new Col("FIXED_PREC_SCALE", "BOOLEAN"), new Col("AUTO_INCREMENT", "BOOLEAN"), text("LOCAL_TYPE_NAME"), small("MINIMUM_SCALE"),
                small("MAXIMUM_SCALE"), integer("SQL_DATA_TYPE"), integer("SQL_DATETIME_SUB"), integer("NUM_PREC_RADIX")), rows);
    }

    // ---- the product ----

    @Override
    public String getURL() {
        return connection.url();
    }

    @Override
    public String getUserName() {
        return "";
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public String getDatabaseProductName() {
        return "Kiln";
    }

    @Override
    public String getDatabaseProductVersion() {
        return KilnDriver.MAJOR + "." + KilnDriver.MINOR;
    }

    @Override
    public int getDatabaseMajorVersion() {
        return KilnDriver.MAJOR;
    }

    @Override
    public int getDatabaseMinorVersion() {
        return KilnDriver.MINOR;
    }

    @Override
    public String getDriverName() {
        return "Kiln JDBC driver";
    }

    @Override
    public String getDriverVersion() {
        return KilnDriver.MAJOR + "." + KilnDriver.MINOR;
    }

    @Override
    public int getDriverMajorVersion() {
        return KilnDriver.MAJOR;
    }

    @Override
    public int getDriverMinorVersion() {
        return KilnDriver.MINOR;
    }

    @Override
    public int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() {
        return 3;
    }

    @Override
    public String getIdentifierQuoteString() {
        return "\"";
    }

    @Override
    public String getSearchStringEscape() {
        return "\\";
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public String getSchemaTerm() {
        return "schema";
    }

    @Override
    public String getCatalogTerm() {
        return "catalog";
    }

    @Override
    public String getProcedureTerm() {
        return "procedure";
    }

    @Override
    public String getExtraNameCharacters() {
        return "";
    }

    @Override
    public String getSQLKeywords() {
        return "";
    }

    @Override
    public String getNumericFunctions() {
        return "ABS,CEIL,FLOOR,MOD,POWER,ROUND,SQRT";
    }

    @Override
    public String getStringFunctions() {
        return "CHAR_LENGTH,LOWER,POSITION,SUBSTRING,TRIM,UPPER";
    }

    @Override
    public String getSystemFunctions() {
        return "";
    }

    @Override
    public String getTimeDateFunctions() {
        return "EXTRACT";
    }

    @Override
    public int getDefaultTransactionIsolation() {
        return Connection.TRANSACTION_NONE;
    }

    @Override
    public int getResultSetHoldability() {
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getSQLStateType() {
        return sqlStateSQL;
    }

    @Override
    public RowIdLifetime getRowIdLifetime() {
        return RowIdLifetime.ROWID_UNSUPPORTED;
    }

    // ---- what the dialect supports (the rest answer false: not supported, or not promised) ----

    @Override
    public boolean allTablesAreSelectable() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    /** ORDER BY puts NULLs last when ascending, first when descending: they sort high. */
    @Override
    public boolean nullsAreSortedHigh() {
        return true;
    }

    @Override
    public boolean storesMixedCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean nullPlusNonNullIsNull() {
        return true;
    }

    @Override
    public boolean supportsColumnAliasing() {
        return true;
    }

    @Override
    public boolean supportsTableCorrelationNames() {
        return true;
    }

    @Override
    public boolean supportsExpressionsInOrderBy() {
        return true;
    }

    @Override
    public boolean supportsOrderByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupBy() {
        return true;
    }

    @Override
    public boolean supportsGroupByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsLikeEscapeClause() {
        return true;
    }

    @Override
    public boolean supportsNonNullableColumns() {
        return true;
    }

    @Override
    public boolean supportsMinimumSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsFullOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsLimitedOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInComparisons() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInExists() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInIns() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() {
        return true;
    }

    @Override
    public boolean supportsCorrelatedSubqueries() {
        return true;
    }

    @Override
    public boolean supportsResultSetType(int type) {
        return type == ResultSet.TYPE_FORWARD_ONLY || type == ResultSet.TYPE_SCROLL_INSENSITIVE;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return supportsResultSetType(type) && concurrency == ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level == Connection.TRANSACTION_NONE;
    }

    @Override
    public boolean supportsResultSetHoldability(int holdability) {
        return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() {
        return false;
    }
}
