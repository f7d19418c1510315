package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tables created in SQL: {@code CREATE TABLE name (column type [NOT NULL | NULL | PRIMARY KEY],
 * ..., [PRIMARY KEY (columns)])}, {@code INSERT INTO name [(columns)] VALUES ... | SELECT ...}
 * and {@code DROP TABLE [IF EXISTS] name}. An INSERT's source runs as a Kiln query whose columns
 * are cast to the table's types (so it follows Kiln's cast rules, and fails as a query fails,
 * changing nothing). Inserted rows collect in the table and become columnar batches when a
 * query next reads the session's tables (appended to those built before). A primary key is
 * enforced: its columns are NOT NULL and an INSERT that repeats a key fails whole. Batches replaced
 * by a compaction stay in session memory until the session closes (results may still read them).
 */
final class SqlTables {
    private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern CREATE = Pattern.compile("\\s*create\\s+table\\s+(if\\s+not\\s+exists\\s+)?" + NAME + "\\s*\\((.*)\\)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** CASCADE and RESTRICT are accepted: Kiln keeps no dependencies (a view over a dropped table fails when it is next used). */
    private static final Pattern DROP = Pattern.compile("\\s*drop\\s+table\\s+(if\\s+exists\\s+)?" + NAME + "(\\s+(?:cascade|restrict))?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern INSERT = Pattern.compile("\\s*insert\\s+into\\s+" + NAME + "\\s*(\\(([^)]*)\\))?\\s*((?:values|select|with|\\().*?)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DELETE = Pattern.compile("\\s*delete\\s+from\\s+" + NAME + "(?:\\s+where\\s+(.*?))?\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern STARTS = Pattern.compile("\\s*(create\\s+table|drop\\s+table|insert\\s+into|delete\\s+from|create\\s+(unique\\s+)?index|drop\\s+index)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CREATE_INDEX = Pattern.compile("\\s*create\\s+(unique\\s+)?index\\s+(if\\s+not\\s+exists\\s+)?" + NAME + "\\s+on\\s+" + NAME
            + "\\s*\\(([^)]*)\\)\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DROP_INDEX = Pattern.compile("\\s*drop\\s+index\\s+(if\\s+exists\\s+)?" + NAME + "\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** The indexes named by CREATE INDEX, by name: their table (none is kept; see {@link #createIndex}). */
    private final Map<String, String> indexes = new LinkedHashMap<>();

    /** A table created in SQL: its schema, its rows (boxed as Kiln boxes values), its key. */
    private static final class SqlTable {
        final String name;
        final Schema schema;
        final List<Integer> key;
        /** Rows inserted since the last query read the table; the rest are in {@code batches}. */
        final List<Object[]> pending = new ArrayList<>();
        final List<Batch> batches = new ArrayList<>();
        final Set<List<Object>> keys = new HashSet<>();
        /** UNIQUE indexes by name: their columns and the keys present (a key with a NULL is never a duplicate, as in SQL). */
        final Map<String, Unique> uniques = new LinkedHashMap<>();

        SqlTable(String name, Schema schema, List<Integer> key) {
            this.name = name;
            this.schema = schema;
            this.key = key;
        }

        /** Every row: those of the batches, boxed, then the pending ones. */
        List<Object[]> rows() {
            List<Object[]> rows = new ArrayList<>();
            for (Batch b : batches) {
                for (int i = 0; i < b.rowCount(); i++) {
                    Object[] row = new Object[schema.size()];
                    for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(i);
                    rows.add(row);
                }
            }
            rows.addAll(pending);
            return rows;
        }
    }

    private final Map<String, SqlTable> tables = new LinkedHashMap<>();

    private record Unique(List<Integer> columns, Set<List<Object>> keys) {
        /** The row's key, or null if a column of it is NULL. */
        List<Object> key(Object[] row) {
            List<Object> k = new ArrayList<>();
            for (int c : columns) {
                if (row[c] == null) return null;
                k.add(row[c]);
            }
            return k;
        }
    }

    /** Does the statement look like one of ours (so that a malformed one gets our message, not a parser's)? */
    static boolean handles(String sql) {
        return STARTS.matcher(sql).matches();
    }

    private static String unquote(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name.toLowerCase(Locale.ROOT);
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Runs a CREATE TABLE, DROP TABLE or INSERT; returns its message and the rows it changed. */
    record Outcome(String message, long rows) {}

    Outcome run(String sql, Kiln kiln, SessionCatalog catalog) {
        Matcher m;
        if ((m = CREATE.matcher(sql)).matches()) return create(unquote(m.group(2)), m.group(3), m.group(1) != null, catalog);
        if ((m = DROP.matcher(sql)).matches()) return drop(unquote(m.group(2)), m.group(1) != null, catalog);
        if ((m = INSERT.matcher(sql)).matches()) return insert(unquote(m.group(1)), m.group(3), m.group(4), kiln);
        if ((m = DELETE.matcher(sql)).matches()) return delete(unquote(m.group(1)), m.group(2), kiln, catalog);
        if ((m = CREATE_INDEX.matcher(sql)).matches()) return createIndex(m.group(1) != null, unquote(m.group(3)), unquote(m.group(4)), m.group(5), m.group(2) != null, catalog);
        if ((m = DROP_INDEX.matcher(sql)).matches()) return dropIndex(unquote(m.group(2)), m.group(1) != null);
        throw new KilnException("cannot read this statement: " + sql.strip().lines().findFirst().orElse("")
                + "\nKiln reads CREATE TABLE name (column type [NOT NULL|PRIMARY KEY], ...), DROP TABLE [IF EXISTS] name, INSERT INTO name [(columns)] VALUES (...) | SELECT ... and DELETE FROM name [WHERE ...]");
    }

    private Outcome create(String name, String body, boolean ifNotExists, SessionCatalog catalog) {
        if (catalog.table(name).isPresent() || catalog.viewSql(name).isPresent()) {
            if (ifNotExists) return new Outcome("CREATE TABLE " + name + " (it exists)", 0);
            throw new KilnException("table or view '" + name + "' already exists" + (tables.containsKey(name) ? "; DROP TABLE it first" : ""));
        }
        Columns cols = columns("CREATE TABLE", name, body, true);
        List<Field> fields = cols.fields();
        List<String> keyNames = cols.keyNames();
        if (fields.isEmpty()) throw new KilnException("CREATE TABLE " + name + " needs at least one column");
        List<Integer> key = new ArrayList<>();
        for (String k : keyNames) {
            int i = indexOf(fields, k);
            if (i < 0) throw new KilnException("CREATE TABLE " + name + ": the primary key names column " + k + ", which the table does not have");
            if (key.contains(i)) continue;
            key.add(i);
            fields.set(i, new Field(fields.get(i).name(), fields.get(i).type(), false));
        }
        SqlTable t = new SqlTable(name, new Schema(fields), List.copyOf(key));
        tables.put(name, t);
        catalog.put(name, new Table(name, t.schema, List.of()));
        return new Outcome("CREATE TABLE " + name, 0);
    }

    /** Column definitions and the names of the primary key's columns. */
    record Columns(List<Field> fields, List<String> keyNames) {}

    /**
     * Reads {@code name type [NOT NULL | NULL | PRIMARY KEY], ..., [PRIMARY KEY (a, b)]} (keys only
     * when {@code keys}), as CREATE TABLE and CREATE STREAM take them.
     */
    static Columns columns(String statement, String name, String body, boolean keys) {
        List<Field> fields = new ArrayList<>();
        List<String> keyNames = new ArrayList<>();
        for (String item : splitTopLevel(body)) {
            String def = item.strip();
            Matcher pk = Pattern.compile("(?is)primary\\s+key\\s*\\((.*)\\)").matcher(def);
            if (pk.matches() && keys) {
                for (String c : pk.group(1).split(",")) keyNames.add(unquote(c.strip()));
                continue;
            }
            if (def.matches("(?is)(constraint|unique|check|foreign)\\b.*")) {
                throw new KilnException(statement + " " + name + ": the constraint '" + def + "' is not supported yet (Kiln enforces NOT NULL" + (keys ? " and PRIMARY KEY" : "") + ")");
            }
            Matcher col = Pattern.compile("(?is)" + NAME + "\\s+([A-Za-z]+(?:\\s+precision)?)\\s*(\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?\\s*(.*)").matcher(def);
            if (!col.matches()) throw new KilnException(statement + " " + name + ": cannot read the column definition '" + def + "' (expected: name type [NOT NULL])");
            String cname = unquote(col.group(1));
            DataType type = type(col.group(2), col.group(3), name, cname);
            String rest = col.group(4).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            boolean nullable = true;
            while (!rest.isEmpty()) {
                if (rest.startsWith("not null")) {
                    nullable = false;
                    rest = rest.substring(8).strip();
                } else if (rest.startsWith("null")) {
                    rest = rest.substring(4).strip();
                } else if (rest.startsWith("primary key") && keys) {
                    keyNames.add(cname);
                    rest = rest.substring(11).strip();
                } else {
                    throw new KilnException(statement + " " + name + ", column " + cname + ": '" + rest + "' is not supported yet (Kiln reads NOT NULL, NULL" + (keys ? " and PRIMARY KEY" : "") + ")");
                }
            }
            for (Field f : fields) if (f.name().equals(cname)) throw new KilnException(statement + " " + name + ": column " + cname + " is declared twice");
            fields.add(new Field(cname, type, nullable));
        }
        if (fields.isEmpty()) throw new KilnException(statement + " " + name + " needs at least one column");
        return new Columns(fields, keyNames);
    }

    static String unquoteName(String name) {
        return unquote(name);
    }

    private static int indexOf(List<Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) if (fields.get(i).name().equals(name)) return i;
        return -1;
    }

    private static DataType type(String word, String args, String table, String column) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        List<Integer> a = new ArrayList<>();
        if (args != null) for (String s : args.replaceAll("[()\\s]", "").split(",")) a.add(Integer.parseInt(s));
        return switch (w) {
            case "integer", "int" -> DataType.INTEGER;
            case "bigint" -> DataType.BIGINT;
            case "smallint" -> new DataType.IntType(16);
            case "tinyint" -> new DataType.IntType(8);
            case "boolean" -> DataType.BOOLEAN;
            case "double", "double precision", "float", "real" -> DataType.DOUBLE;
            case "date" -> DataType.DATE;
            case "timestamp" -> DataType.TIMESTAMP;
            case "varchar", "char", "character", "text", "string" -> DataType.VARCHAR;
            case "decimal", "numeric" -> {
                int p = a.isEmpty() ? DataType.DecimalType.MAX_PRECISION : a.get(0);
                int s = a.size() > 1 ? a.get(1) : 0;
                if (p < 1 || p > DataType.DecimalType.MAX_PRECISION || s > p) {
                    throw new KilnException("CREATE TABLE " + table + ", column " + column + ": DECIMAL(" + p + ", " + s + ") is out of range (precision 1 to "
                            + DataType.DecimalType.MAX_PRECISION + ", scale at most the precision)");
                }
                yield DataType.decimal(p, s);
            }
            default -> throw new KilnException("CREATE TABLE " + table + ", column " + column + ": unknown type " + word
                    + " (Kiln has BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL(p,s), DOUBLE, VARCHAR, DATE, TIMESTAMP)");
        };
    }

    /** Splits at commas outside parentheses and quotes. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        java.util.BitSet code = dev.kiln.frontend.SqlText.code(s);
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!code.get(i)) continue;
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }

    /**
     * CREATE INDEX checks its table and columns and records the name, and builds nothing: Kiln
     * scans columns and builds its hash tables per query, so an index would not change a plan.
     * A UNIQUE index is a constraint: the rows there are must be unique on its columns (keys with
     * a NULL excepted), and so must every INSERT after it, like a primary key's.
     */
    private Outcome createIndex(boolean unique, String index, String table, String columns, boolean ifNotExists, SessionCatalog catalog) {
        String what = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
        var ref = catalog.table(table).orElseThrow(() -> new KilnException(what + index + ": no table " + table));
        List<Integer> cols = new ArrayList<>();
        for (String c : columns.split(",")) {
            String cn = unquote(c.strip().replaceAll("(?i)\\s+(asc|desc)$", ""));
            Optional<Integer> at = ref.schema().indexOf(cn);
            if (at.isEmpty()) throw new KilnException(what + index + ": table " + table + " has no column " + cn + "; its columns are " + ref.schema().names());
            cols.add(at.get());
        }
        if (indexes.containsKey(index)) {
            if (ifNotExists) return new Outcome(what + index + " (it exists)", 0);
            throw new KilnException("index " + index + " already exists");
        }
        if (unique) {
            SqlTable t = tables.get(table);
            if (t == null) throw new KilnException(what + index + ": table " + table + " was registered, not made by CREATE TABLE; UNIQUE indexes are kept on SQL tables only");
            Unique u = new Unique(List.copyOf(cols), new HashSet<>());
            for (Object[] row : t.rows()) {
                List<Object> k = u.key(row);
                if (k != null && !u.keys.add(k)) throw new KilnException(what + index + ": table " + table + " has duplicate key " + k + "; no index was created");
            }
            t.uniques.put(index, u);
        }
        indexes.put(index, table);
        return new Outcome(what + index + (unique ? " (enforced on every INSERT; Kiln keeps no index structures, its plans do not use them)"
                : " (recorded; Kiln keeps no index structures, its plans do not use them)"), 0);
    }

    private Outcome dropIndex(String index, boolean ifExists) {
        String table = indexes.remove(index);
        if (table == null && !ifExists) throw new KilnException("index " + index + " does not exist");
        if (table != null && tables.containsKey(table)) tables.get(table).uniques.remove(index);
        return new Outcome("DROP INDEX " + index, 0);
    }

    private Outcome drop(String name, boolean ifExists, SessionCatalog catalog) {
        if (!tables.containsKey(name)) {
            if (ifExists) return new Outcome("DROP TABLE " + name + " (it does not exist)", 0);
            throw new KilnException(catalog.table(name).isPresent() ? "table '" + name + "' was registered, not created in SQL: DROP TABLE removes only tables made by CREATE TABLE"
                    : "table '" + name + "' does not exist");
        }
        tables.remove(name);
        indexes.values().removeIf(name::equals);
        catalog.remove(name);
        return new Outcome("DROP TABLE " + name, 0);
    }

    /**
     * DELETE FROM t [WHERE c]: the rows for which c is not TRUE are kept (found by a Kiln query,
     * so c is any condition a query may have, sub-queries included), and the table holds them
     * instead; a condition that fails deletes nothing. Keys are counted again from the rows kept.
     */
    private Outcome delete(String name, String where, Kiln kiln, SessionCatalog catalog) {
        SqlTable t = tables.get(name);
        if (t == null) {
            throw new KilnException("DELETE FROM " + name + ": " + (kiln.tableNames().contains(name) ? "the table was registered, not created in SQL, and cannot be written"
                    : "no such table"));
        }
        List<Object[]> kept = new ArrayList<>();
        long before;
        try (QueryResult all = kiln.sql("SELECT count(*) FROM " + quote(name))) {
            before = (Long) all.get(0, 0);
        }
        if (where != null) {
            try (QueryResult r = kiln.sql("SELECT * FROM " + quote(name) + " WHERE (" + where + ") IS NOT TRUE")) {
                kept.addAll(r.rows());
            } catch (KilnException e) {
                throw new KilnException("DELETE FROM " + name + ": " + e.getMessage() + "; nothing was deleted", e);
            }
        }
        t.batches.clear();
        t.pending.clear();
        t.pending.addAll(kept);
        t.keys.clear();
        for (Unique u : t.uniques.values()) u.keys().clear();
        for (Object[] row : kept) {
            if (!t.key.isEmpty()) t.keys.add(primaryKey(t, row));
            for (Unique u : t.uniques.values()) {
                List<Object> k = u.key(row);
                if (k != null) u.keys().add(k);
            }
        }
        catalog.put(name, new Table(name, t.schema, List.of()));
        return new Outcome("DELETE " + (before - kept.size()), before - kept.size());
    }

    private Outcome insert(String name, String columnList, String source, Kiln kiln) {
        SqlTable t = tables.get(name);
        if (t == null) {
            throw new KilnException("INSERT INTO " + name + ": " + (kiln.tableNames().contains(name) ? "the table was registered, not created in SQL, and cannot be written"
                    : "no such table; create it with CREATE TABLE"));
        }
        List<Integer> targets = new ArrayList<>();
        if (columnList == null) {
            for (int i = 0; i < t.schema.size(); i++) targets.add(i);
        } else {
            for (String c : columnList.split(",")) {
                String cn = unquote(c.strip());
                int i = indexOf(t.schema.fields(), cn);
                if (i < 0) throw new KilnException("INSERT INTO " + name + ": no column " + cn + "; the columns are " + t.schema.names());
                if (targets.contains(i)) throw new KilnException("INSERT INTO " + name + ": column " + cn + " is listed twice");
                targets.add(i);
            }
        }
        for (int j = 0; j < t.schema.size(); j++) {
            Field f = t.schema.field(j);
            if (!targets.contains(j) && !f.nullable()) throw new KilnException("INSERT INTO " + name + ": column " + f.name() + " is NOT NULL and needs a value");
        }
        Optional<List<List<String>>> values = valuesRows(source);
        if (values.isPresent()) {
            for (List<String> row : values.get()) {
                if (row.size() != targets.size()) {
                    throw new KilnException("INSERT INTO " + name + ": a VALUES row has " + row.size() + " value(s) for " + targets.size() + " column(s) " + names(t, targets));
                }
            }
            Optional<List<Object[]>> literal = literalRows(t, targets, values.get());
            if (literal.isPresent()) return add(t, literal.get());
            source = typedNulls(t, targets, values.get());
        }
        StringBuilder q = new StringBuilder("SELECT ");
        for (int j = 0; j < t.schema.size(); j++) {
            Field f = t.schema.field(j);
            int i = targets.indexOf(j);
            if (j > 0) q.append(", ");
            q.append("CAST(").append(i < 0 ? "NULL" : "\"$src\".\"$c" + i + "\"").append(" AS ").append(f.type().sql()).append(')');
        }
        q.append(" FROM (").append(source).append(") AS \"$src\"(");
        for (int i = 0; i < targets.size(); i++) q.append(i > 0 ? ", " : "").append("\"$c").append(i).append('"');
        q.append(')');
        List<Object[]> rows;
        try (QueryResult r = kiln.sql(q.toString())) {
            rows = r.rows();
        }
        return add(t, rows);
    }

    private static List<Object> primaryKey(SqlTable t, Object[] row) {
        List<Object> k = new ArrayList<>();
        for (int c : t.key) k.add(row[c]);
        return k;
    }

    private static List<String> names(SqlTable t, List<Integer> targets) {
        return targets.stream().map(i -> t.schema.field(i).name()).toList();
    }

    /** Adds rows in the table's column order, the whole INSERT or nothing. */
    private Outcome add(SqlTable t, List<Object[]> rows) {
        String name = t.name;
        // check every row before adding any
        List<List<Object>> newKeys = new ArrayList<>();
        for (Object[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                if (row[j] == null && !t.schema.field(j).nullable()) {
                    throw new KilnException("INSERT INTO " + name + ": column " + t.schema.field(j).name() + " is NOT NULL, and a row gives it NULL; nothing was inserted");
                }
            }
            if (!t.key.isEmpty()) {
                List<Object> k = primaryKey(t, row);
                if (t.keys.contains(k) || newKeys.contains(k)) {
                    throw new KilnException("INSERT INTO " + name + ": duplicate primary key " + k + "; nothing was inserted");
                }
                newKeys.add(k);
            }
        }
        Map<String, Set<List<Object>>> newUnique = new LinkedHashMap<>();
        for (var e : t.uniques.entrySet()) {
            Set<List<Object>> added = new HashSet<>();
            for (Object[] row : rows) {
                List<Object> k = e.getValue().key(row);
                if (k != null && (e.getValue().keys().contains(k) || !added.add(k))) {
                    throw new KilnException("INSERT INTO " + name + ": duplicate key " + k + " of unique index " + e.getKey() + "; nothing was inserted");
                }
            }
            newUnique.put(e.getKey(), added);
        }
        newUnique.forEach((index, added) -> t.uniques.get(index).keys().addAll(added));
        t.keys.addAll(newKeys);
        t.pending.addAll(rows);
        return new Outcome("INSERT " + rows.size(), rows.size());
    }

    /** The rows of a {@code VALUES (...), (...)} source as the texts of their items; empty for any other source. */
    static Optional<List<List<String>>> valuesRows(String source) {
        Matcher m = Pattern.compile("(?is)\\s*values\\s*(.*?)\\s*").matcher(source);
        if (!m.matches()) return Optional.empty();
        String body = m.group(1);
        List<List<String>> rows = new ArrayList<>();
        for (String row : splitTopLevel(body)) {
            String r = row.strip();
            if (!r.startsWith("(") || !r.endsWith(")")) return Optional.empty();
            List<String> items = new ArrayList<>();
            for (String item : splitTopLevel(r.substring(1, r.length() - 1))) items.add(item.strip());
            rows.add(items);
        }
        return Optional.of(rows);
    }

    private static final Pattern INTEGER_LITERAL = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER_LITERAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern STRING_LITERAL = Pattern.compile("'((?:[^']|'')*)'", Pattern.DOTALL);
    private static final Pattern DATE_LITERAL = Pattern.compile("(?i)date\\s*'(\\d{4}-\\d{2}-\\d{2})'");

    /**
     * VALUES rows whose items are all plain literals that fit their columns exactly (integers in
     * range, decimals with no more digits than the scale, strings into VARCHAR, ...) converted here
     * without a query; empty as soon as one item needs Kiln's cast rules.
     */
    private static Optional<List<Object[]>> literalRows(SqlTable t, List<Integer> targets, List<List<String>> rows) {
        List<Object[]> out = new ArrayList<>();
        for (List<String> row : rows) {
            Object[] r = new Object[t.schema.size()];
            for (int i = 0; i < row.size(); i++) {
                Optional<Object> v = literal(row.get(i), t.schema.field(targets.get(i)).type());
                if (v == null) return Optional.empty();
                r[targets.get(i)] = v.orElse(null);
            }
            out.add(r);
        }
        return Optional.of(out);
    }

    /** The value of a literal for a column of {@code type}: empty for NULL, null when it is not such a literal. */
    private static Optional<Object> literal(String item, DataType type) {
        if (item.equalsIgnoreCase("null")) return Optional.empty();
        Matcher str = STRING_LITERAL.matcher(item);
        switch (type) {
            case DataType.IntType i -> {
                if (!INTEGER_LITERAL.matcher(item).matches()) return null;
                java.math.BigInteger v = new java.math.BigInteger(item.startsWith("+") ? item.substring(1) : item);
                if (v.bitLength() > 63 || v.longValue() < i.minValue() || v.longValue() > i.maxValue()) return null;
                return Optional.of(v.longValue());
            }
            case DataType.DecimalType d -> {
                if (!NUMBER_LITERAL.matcher(item).matches()) return null;
                java.math.BigDecimal v = new java.math.BigDecimal(item.startsWith("+") ? item.substring(1) : item);
                if (v.scale() > d.scale() || v.setScale(d.scale()).precision() > d.precision()) return null;
                return Optional.of(v.setScale(d.scale()));
            }
            case DataType.DoubleType d -> {
                if (!NUMBER_LITERAL.matcher(item).matches()) return null;
                return Optional.of(Double.parseDouble(item));
            }
            case DataType.BooleanType b -> {
                if (item.equalsIgnoreCase("true")) return Optional.of(true);
                if (item.equalsIgnoreCase("false")) return Optional.of(false);
                return null;
            }
            case DataType.VarcharType v -> {
                return str.matches() ? Optional.of(str.group(1).replace("''", "'")) : null;
            }
            case DataType.DateType d -> {
                Matcher m = DATE_LITERAL.matcher(item);
                if (!m.matches()) return null;
                try {
                    return Optional.of(java.time.LocalDate.parse(m.group(1)));
                } catch (java.time.format.DateTimeParseException e) {
                    return null; // Kiln's own error, through the query
                }
            }
            default -> {
                return null;
            }
        }
    }

    /** The VALUES source with each bare NULL item cast to its column's type (Kiln does not guess a NULL's type). */
    private static String typedNulls(SqlTable t, List<Integer> targets, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            sb.append(r > 0 ? ", (" : "(");
            for (int i = 0; i < rows.get(r).size(); i++) {
                String item = rows.get(r).get(i);
                if (i > 0) sb.append(", ");
                sb.append(item.equalsIgnoreCase("null") ? "CAST(NULL AS " + t.schema.field(targets.get(i)).type().sql() + ")" : item);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** A table that has had this many flushes since its last compaction is rebuilt into morsel-sized batches. */
    static final int MAX_BATCHES = 64;

    /**
     * Turns the rows inserted since the last query into batches appended to the table's (one per
     * morsel of rows), so each row is converted once; after {@link #MAX_BATCHES} small batches the
     * table is rebuilt into morsel-sized ones, so that INSERTs interleaved with queries do not
     * leave a scan thousands of one-row batches.
     */
    void flush(SessionCatalog catalog, QueryMemory memory) {
        for (SqlTable t : tables.values()) {
            if (t.pending.isEmpty()) continue;
            List<Object[]> rows = t.pending;
            if (t.batches.size() >= MAX_BATCHES) {
                rows = t.rows();
                t.batches.clear();
            }
            for (int from = 0; from < rows.size(); from += Table.MORSEL_ROWS) {
                int n = Math.min(Table.MORSEL_ROWS, rows.size() - from);
                List<ColumnVector> cols = new ArrayList<>();
                for (int c = 0; c < t.schema.size(); c++) {
                    VectorBuilder b = new VectorBuilder(t.schema.field(c).type(), memory, n);
                    for (int r = from; r < from + n; r++) b.appendObject(rows.get(r)[c]);
                    cols.add(b.build());
                }
                t.batches.add(new Batch(t.schema, cols, n));
            }
            t.pending.clear();
            catalog.put(t.name, new Table(t.name, t.schema, List.copyOf(t.batches)));
        }
    }

    boolean isSqlTable(String name) {
        return tables.containsKey(name.toLowerCase(Locale.ROOT));
    }

    Optional<Schema> schema(String name) {
        SqlTable t = tables.get(name.toLowerCase(Locale.ROOT));
        return t == null ? Optional.empty() : Optional.of(t.schema);
    }
}
