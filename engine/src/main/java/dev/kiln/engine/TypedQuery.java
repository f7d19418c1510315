package dev.kiln.engine;

import dev.kiln.frontend.SqlLiterals;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * One query of a {@code @KilnQueries} interface, as its generated implementation runs it: the
 * SQL split at its {@code :name} parameters, the parameters' SQL types, and the result columns
 * the annotation processor derived at compile time. {@link #prepare} (called when the interface
 * is bound) checks the query against this session, where the tables may differ from their
 * records, and compiles it, so that the first call finds its classes compiled. Each call binds
 * its values as literals of the parameters' types, which Kiln compiles into parameters of the same
 * classes. Public for generated code; not meant to be called by hand.
 */
public final class TypedQuery {
    private final Kiln kiln;
    private final String where;
    private final List<String> parts;
    private final int[] order;
    private final List<String> names;
    private final List<DataType> types;

    private TypedQuery(Kiln kiln, String where, List<String> parts, int[] order, List<String> names, List<DataType> types) {
        this.kiln = kiln;
        this.where = where;
        this.parts = parts;
        this.order = order;
        this.names = names;
        this.types = types;
    }

    /**
     * @param where       the method, for messages ({@code Pricing.summary})
     * @param parts       the SQL text around the parameters (one more than {@code order})
     * @param order       for each parameter occurrence, the index of the method parameter
     * @param paramNames  the method parameters' names
     * @param paramTypes  their SQL types (as {@link DataType#sql} spells them)
     * @param columns     the result columns' names, as at compile time
     * @param columnTypes and their SQL types
     */
    public static TypedQuery prepare(Kiln kiln, String where, String[] parts, int[] order, String[] paramNames, String[] paramTypes,
                                     String[] columns, String[] columnTypes) {
        List<DataType> types = java.util.Arrays.stream(paramTypes).map(TypedQuery::parseType).toList();
        TypedQuery q = new TypedQuery(kiln, where, List.of(parts), order.clone(), List.of(paramNames), types);
        String sample = q.text(i -> SqlLiterals.sample(types.get(i)));
        Schema actual;
        try {
            actual = kiln.resultSchema(sample);
            kiln.prepare(sample);
        } catch (KilnException e) {
            throw new KilnException(where + ": the query does not compile in this session (its tables differ from their @KilnTable records?): " + e.getMessage(), e);
        }
        if (actual.size() != columns.length) {
            throw new KilnException(where + ": the query returns " + actual.size() + " columns " + actual.names() + " in this session, but " + columns.length
                    + " when it was compiled " + List.of(columns));
        }
        for (int i = 0; i < columns.length; i++) {
            Field f = actual.field(i);
            DataType compiled = parseType(columnTypes[i]);
            if (!sameJavaType(f.type(), compiled)) {
                throw new KilnException(where + ": column '" + columns[i] + "' is " + f.type().sql() + " in this session but was " + compiled.sql()
                        + " when the query was compiled: a table differs from its @KilnTable record; fix the record and recompile");
            }
        }
        return q;
    }

    /**
     * Checks that the session has {@code table} with (at least) these columns, of the same kinds of
     * type; a type ending in {@code NOT NULL} needs a NOT NULL column.
     */
    public static void checkTable(Kiln kiln, String record, String table, String[] columns, String[] columnTypes) {
        TableRef ref;
        try {
            ref = kiln.tableInfo(table);
        } catch (KilnException e) {
            throw new KilnException(record + " declares table '" + table + "', which this session does not have; tables: " + kiln.tableNames());
        }
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            java.util.Optional<Field> f = ref.schema().fields().stream().filter(x -> x.name().equalsIgnoreCase(c)).findFirst();
            if (f.isEmpty()) throw new KilnException(record + " declares column '" + c + "' of table '" + table + "', which has no such column; columns: " + ref.schema().names());
            boolean notNull = columnTypes[i].endsWith(" NOT NULL");
            DataType declared = parseType(notNull ? columnTypes[i].substring(0, columnTypes[i].length() - " NOT NULL".length()) : columnTypes[i]);
            if (!sameJavaType(f.get().type(), declared)) {
                throw new KilnException(record + " declares column '" + c + "' of table '" + table + "' as " + declared.sql() + ", but it is " + f.get().type().sql());
            }
            if (notNull && f.get().nullable()) {
                throw new KilnException(record + " declares column '" + c + "' of table '" + table + "' NOT NULL, but it may be NULL in this session");
            }
        }
    }

    /** Runs the query with the method's arguments. */
    public QueryResult run(Object... args) {
        return kiln.sql(text(i -> SqlLiterals.typed(names.get(i), args[i], types.get(i))));
    }

    private String text(java.util.function.IntFunction<String> literal) {
        StringBuilder sb = new StringBuilder(parts.getFirst());
        for (int i = 0; i < order.length; i++) sb.append(' ').append(literal.apply(order[i])).append(' ').append(parts.get(i + 1));
        return sb.toString();
    }

    /** The row count of a result that must have exactly one row. */
    public static int exactlyOne(QueryResult r, String where) {
        if (r.rowCount() != 1) {
            throw new KilnException(where + " returns one row, but the query gave " + r.rowCount() + (r.rowCount() == 0 ? "; declare Optional<...> for a query that may give none" : "; declare List<...>"));
        }
        return 1;
    }

    /** The row count of a result that may have at most one row. */
    public static int atMostOne(QueryResult r, String where) {
        if (r.rowCount() > 1) throw new KilnException(where + " returns at most one row (Optional), but the query gave " + r.rowCount() + "; declare List<...>");
        return (int) r.rowCount();
    }

    /** The row count of a result read into a list. */
    public static int rows(QueryResult r, String where) {
        if (r.rowCount() > Integer.MAX_VALUE - 8) throw new KilnException(where + ": " + r.rowCount() + " rows do not fit a List");
        return (int) r.rowCount();
    }

    /** Reads the INTEGER-or-narrower value of a column into an int (a wider value is an error). */
    public static int getInt(QueryResult r, long row, int column) {
        return Math.toIntExact(r.getLong(row, column));
    }

    /** Values of the same SQL family come back as the same Java class. */
    private static boolean sameJavaType(DataType a, DataType b) {
        return a.getClass() == b.getClass();
    }

    static DataType parseType(String sql) {
        return switch (sql) {
            case "BOOLEAN" -> DataType.BOOLEAN;
            case "TINYINT" -> DataType.TINYINT;
            case "SMALLINT" -> DataType.SMALLINT;
            case "INTEGER" -> DataType.INTEGER;
            case "BIGINT" -> DataType.BIGINT;
            case "DOUBLE" -> DataType.DOUBLE;
            case "DATE" -> DataType.DATE;
            case "TIMESTAMP" -> DataType.TIMESTAMP;
            case "VARCHAR" -> DataType.VARCHAR;
            default -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)").matcher(sql);
                if (!m.matches()) throw new KilnException("unknown SQL type " + sql);
                yield DataType.decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        };
    }
}
