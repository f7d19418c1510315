package dev.kiln.engine;

import dev.kiln.frontend.SqlLiterals;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.rel.Rel;
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
    /**
     * The query's logical plan parsed once, with a marker literal where each parameter is, when
     * binding into the plan was proven to give the plan the text would (see {@link #template});
     * null when each call parses its text instead.
     */
    private Rel template;
    /** The marker value of each method parameter in {@link #template}. */
    private List<Object> markers;

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
        q.template(kiln);
        return q;
    }

    /**
     * Parses the query twice, with two different marker values for each parameter. If the first
     * plan with its markers swapped for the second's is the second plan, every marker stands
     * exactly for its parameter (Calcite folded none of them into something else, and no other
     * literal of the query has a marker's value), and a call may bind its values into the first
     * plan instead of parsing its text again.
     */
    private void template(Kiln kiln) {
        List<Object> first = new java.util.ArrayList<>();
        List<Object> second = new java.util.ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            first.add(marker(types.get(i), i, 0));
            second.add(marker(types.get(i), i, 1));
        }
        if (first.contains(null)) return;
        Rel a;
        Rel b;
        try {
            a = kiln.logicalPlan(text(i -> SqlLiterals.typed(names.get(i), first.get(i), types.get(i))));
            b = kiln.logicalPlan(text(i -> SqlLiterals.typed(names.get(i), second.get(i), types.get(i))));
        } catch (KilnException e) {
            // a marker the query cannot take (cast to a narrower type, say): calls write their values into the text
            return;
        }
        Rel swapped = dev.kiln.ir.rel.PlanExprs.rewrite(a, e -> {
            if (!(e instanceof Literal l) || !first.contains(l.value())) return e;
            return dev.kiln.frontend.plan.Parameters.literal("marker", second.get(first.indexOf(l.value())), l.type());
        });
        if (swapped.equals(b)) {
            template = a;
            markers = first;
        }
    }

    /** An unlikely value of the type, different for each parameter and each of the two parses; null if there is none. */
    private static Object marker(DataType t, int param, int variant) {
        int k = 2 * param + variant;
        return switch (t) {
            case DataType.IntType i -> i.bits() >= 32 ? (Object) (1_000_000_007L + k) : i.bits() == 16 ? (Object) (30_011L + k) : (Object) (97L + k);
            case DataType.DecimalType d -> d.precision() - d.scale() >= 5 ? java.math.BigDecimal.valueOf(7_919L + k).setScale(d.scale()) : null;
            case DataType.DoubleType x -> 1.000_000_007e9 + k;
            case DataType.DateType x -> java.time.LocalDate.of(2999, 1, 1).plusDays(k);
            case DataType.TimestampType x -> java.time.LocalDateTime.of(2999, 1, 1, 0, 0).plusSeconds(k);
            case DataType.VarcharType x -> "\u0001kiln.marker." + k;
            default -> null;
        };
    }

    /**
     * Registers the model a typed-query interface declares ({@code @KilnModel(name, resource)}):
     * the ONNX file {@code resource} on the class path of {@code owner}, unless the session already
     * has a model {@code name} (registered in its place: the queries then check its column types
     * as they are prepared).
     */
    public static void model(Kiln kiln, Class<?> owner, String name, String resource) {
        if (kiln.model(name).isPresent()) return;
        ClassLoader loader = owner.getClassLoader() != null ? owner.getClassLoader() : ClassLoader.getSystemClassLoader();
        byte[] onnx;
        try (java.io.InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new KilnException(owner.getName() + " calls model " + name + ", whose file " + resource + " is not on its class path;"
                        + " ship it with the classes or register a model " + name + " before bind()");
            }
            onnx = in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new KilnException("model " + name + " of " + owner.getName() + ": cannot read " + resource + ": " + e.getMessage(), e);
        }
        kiln.registerModel(name, dev.kiln.frontend.onnx.OnnxImporter.importModel(dev.kiln.frontend.onnx.OnnxModel.read(onnx, resource)));
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

    /**
     * Runs the query with the method's arguments: bound into the parsed plan when there is one
     * (and no argument is NULL, which would change the plan's nullability), else written into the
     * text as typed literals. Both give the same plan; the first skips parsing.
     */
    public QueryResult run(Object... args) {
        if (template == null || java.util.Arrays.asList(args).contains(null)) return runText(args);
        Rel bound;
        try {
            bound = dev.kiln.ir.rel.PlanExprs.rewrite(template, e -> {
                if (!(e instanceof Literal l)) return e;
                int p = markers.indexOf(l.value());
                return p < 0 ? e : dev.kiln.frontend.plan.Parameters.literal(names.get(p), args[p], l.type());
            });
        } catch (KilnException e) {
            // a value the plan's literal type cannot hold (the text casts it as SQL does): let the text say
            return runText(args);
        }
        return kiln.run(bound);
    }

    private QueryResult runText(Object[] args) {
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
