package dev.kiln.processor;

import dev.kiln.frontend.SqlException;
import dev.kiln.frontend.SqlFrontend;
import dev.kiln.frontend.SqlLiterals;
import dev.kiln.frontend.Statement;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.JavaTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * One {@code @Query} method, checked: its parameters against the query's {@code :name}s, the
 * query parsed and validated by the SQL frontend against the declared tables (with a literal of
 * each parameter's type in its place), and the result columns against the method's return type.
 * Every problem is a compiler error at the annotation (or the parameter), with the position in
 * the SQL where there is one.
 */
final class QueryMethod {
    enum Shape { LIST, OPTIONAL, ONE }

    /** How one value of the result is read: the column, and the Java type it goes into. */
    record Read(int column, String javaType, DataType sqlType) {}

    final ExecutableElement method;
    final ParameterizedSql sql;
    final List<String> paramNames = new ArrayList<>();
    final List<DataType> paramTypes = new ArrayList<>();
    int[] order;
    Shape shape;
    /** The record built from each row, or null for a single column. */
    TypeElement record;
    String elementType;
    final List<Read> reads = new ArrayList<>();
    List<String> columnNames;
    List<DataType> columnTypes;
    final Set<String> tables = new LinkedHashSet<>();

    private final Messager messager;
    private final AnnotationMirror query;
    private final AnnotationValue text;
    private boolean failed;

    private QueryMethod(ExecutableElement method, AnnotationMirror query, Messager messager) {
        this.method = method;
        this.query = query;
        this.messager = messager;
        this.text = Annotations.value(query, "value").orElse(null);
        this.sql = new ParameterizedSql(text == null ? "" : (String) text.getValue());
    }

    /** The checked method, or empty after reporting its errors. */
    static Optional<QueryMethod> check(ExecutableElement method, AnnotationMirror query, dev.kiln.frontend.Catalog tables, Messager messager) {
        QueryMethod m = new QueryMethod(method, query, messager);
        m.run(tables);
        return m.failed ? Optional.empty() : Optional.of(m);
    }

    String where() {
        return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
    }

    private void error(String message) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, method, query, text);
    }

    private void run(dev.kiln.frontend.Catalog tables) {
        if (sql.sql.isBlank()) {
            error("@Query on " + where() + " has no SQL");
            return;
        }
        if (!method.getTypeParameters().isEmpty()) error(where() + " has type parameters; a query method cannot be generic");
        parameters();
        if (failed) return;
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < order.length; i++) samples.add(sample(order[i]));
        String checked = sql.replaced(samples);
        Statement st;
        try {
            st = new SqlFrontend(tables).compile(checked);
        } catch (SqlException e) {
            int[] at = sql.original(samples, e.line(), e.column());
            error(new SqlException("in the query of " + where() + ": " + e.what(), at[0], at[1], sql.sql).getMessage());
            return;
        } catch (KilnException e) {
            error("in the query of " + where() + ": " + e.getMessage());
            return;
        }
        if (!(st instanceof Statement.Query q)) {
            error("@Query needs a query (SELECT, WITH or VALUES), not a CREATE or DROP statement");
            return;
        }
        if (!misusedText(q.plan())) return;
        columnNames = q.columnNames();
        columnTypes = q.plan().schema().fields().stream().map(Field::type).toList();
        collectTables(q.plan());
        result(q);
    }

    /**
     * A literal of each parameter's type stands in for it while the query is checked. A text
     * parameter's literal names it, because SQL lets text be compared with a DATE (the text is cast):
     * that cast is found in the plan and reported as the parameter's wrong type.
     */
    private String sample(int param) {
        DataType t = paramTypes.get(param);
        return t instanceof DataType.VarcharType ? "'" + TEXT_MARKER + paramNames.get(param) + "'" : SqlLiterals.sample(t);
    }

    private static final String TEXT_MARKER = "\u0001kiln.param:";

    /** False (after reporting it) if a text parameter is cast to another type in the plan. */
    private boolean misusedText(Rel plan) {
        Set<String> reported = new LinkedHashSet<>();
        dev.kiln.ir.rel.PlanExprs.visit(plan, e -> {
            if (e instanceof dev.kiln.ir.expr.Cast c && c.input() instanceof dev.kiln.ir.expr.Literal l && l.value() instanceof String s
                    && s.startsWith(TEXT_MARKER) && !(c.type() instanceof DataType.VarcharType)) {
                String name = s.substring(TEXT_MARKER.length());
                if (reported.add(name)) {
                    error("parameter " + name + " of " + where() + " is a String, but the query uses it as " + c.type().sql() + "; declare it "
                            + JavaTypes.suggestion(c.type(), true));
                }
            }
        });
        return reported.isEmpty();
    }

    private void collectTables(Rel plan) {
        if (plan instanceof TableScan s) tables.add(s.table().name());
        for (Rel in : plan.inputs()) collectTables(in);
    }

    private void parameters() {
        List<? extends VariableElement> params = method.getParameters();
        List<String> names = params.stream().map(p -> p.getSimpleName().toString()).toList();
        for (VariableElement p : params) {
            String javaType = Annotations.typeName(p.asType());
            int scale = Annotations.find(p, "dev.kiln.annotations.Column").flatMap(a -> Annotations.integer(a, "scale")).filter(s -> s >= 0)
                    .orElse(JavaTypes.DEFAULT_DECIMAL_SCALE);
            Optional<DataType> t = JavaTypes.sqlType(javaType, scale);
            if (t.isEmpty()) {
                failed = true;
                messager.printMessage(Diagnostic.Kind.ERROR, "parameter " + p.getSimpleName() + " of " + where() + " is a " + javaType
                        + ", which cannot be a query parameter; use boolean, int, long, double (or their boxes), BigDecimal, String, LocalDate or LocalDateTime", p);
            }
            paramNames.add(p.getSimpleName().toString());
            paramTypes.add(t.orElse(DataType.VARCHAR));
        }
        order = new int[sql.occurrences.size()];
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < order.length; i++) {
            ParameterizedSql.Occurrence o = sql.occurrences.get(i);
            order[i] = names.indexOf(o.name());
            used.add(o.name());
            if (order[i] < 0) {
                int line = 1 + (int) sql.sql.substring(0, o.start()).chars().filter(c -> c == '\n').count();
                int column = o.start() - sql.sql.lastIndexOf('\n', o.start() - 1);
                error(new SqlException("in the query of " + where() + ": :" + o.name() + " is not a parameter of the method; its parameters are " + names,
                        line, column, sql.sql).getMessage());
            }
        }
        for (String n : names) {
            if (!used.contains(n)) error("parameter " + n + " of " + where() + " is not used in the query; refer to it as :" + n);
        }
    }

    private void result(Statement.Query q) {
        TypeMirror ret = method.getReturnType();
        TypeMirror element = ret;
        shape = Shape.ONE;
        if (ret.getKind() == TypeKind.VOID) {
            error(where() + " returns void; a query method returns List<R>, Optional<R> or R");
            return;
        }
        if (ret.getKind() == TypeKind.DECLARED) {
            String raw = Annotations.typeName(ret);
            List<? extends TypeMirror> args = ((DeclaredType) ret).getTypeArguments();
            if (raw.equals("java.util.List") || raw.equals("java.util.Optional")) {
                if (args.size() != 1 || args.getFirst().getKind() != TypeKind.DECLARED) {
                    error(where() + " returns " + ret + "; say what each row is, e.g. List<MyRecord> or List<String>");
                    return;
                }
                shape = raw.equals("java.util.List") ? Shape.LIST : Shape.OPTIONAL;
                element = args.getFirst();
            }
        }
        elementType = element.toString();
        List<Field> fields = q.plan().schema().fields();
        List<String> names = q.columnNames();
        String typeName = Annotations.typeName(element);
        if (element.getKind() == TypeKind.DECLARED && ((DeclaredType) element).asElement().getKind() == ElementKind.RECORD) {
            record = (TypeElement) ((DeclaredType) element).asElement();
            if (record.getModifiers().contains(Modifier.PRIVATE)) {
                error("record " + record.getSimpleName() + " is private; the generated implementation must be able to construct it");
                return;
            }
            boolean[] consumed = new boolean[names.size()];
            for (RecordComponentElement c : record.getRecordComponents()) {
                int col = JavaTypes.columnFor(names, c.getSimpleName().toString());
                String componentType = Annotations.typeName(c.asType());
                if (col < 0) {
                    error("component " + record.getSimpleName() + "." + c.getSimpleName() + " has no column in the result of " + where() + "; its columns are " + names
                            + " (name a column " + c.getSimpleName() + " with AS)");
                    continue;
                }
                consumed[col] = true;
                Field f = fields.get(col);
                Optional<String> misfit = JavaTypes.misfit(f.type(), f.nullable(), componentType);
                if (misfit.isPresent()) {
                    error("column " + names.get(col) + " (" + f.type().sql() + (f.nullable() ? ", nullable" : "") + ") does not fit " + record.getSimpleName() + "."
                            + c.getSimpleName() + " (" + componentType + "): " + misfit.get());
                    continue;
                }
                reads.add(new Read(col, componentType, f.type()));
            }
            for (int i = 0; i < consumed.length; i++) {
                if (!consumed[i]) error("the result's column " + names.get(i) + " has no component in " + record.getSimpleName() + "; add one or drop the column from the query");
            }
            return;
        }
        if (JavaTypes.sqlType(typeName, 0).isEmpty() && !typeName.equals("java.lang.Object")) {
            error(where() + " returns " + element + ", which is neither a record nor a column's Java type (String, long, BigDecimal, LocalDate...)");
            return;
        }
        if (fields.size() != 1) {
            error(where() + " returns single " + element + " values but the query has " + fields.size() + " columns " + names + "; return a record with a component per column");
            return;
        }
        Field f = fields.getFirst();
        // a single value that is absent reads as null, so only a primitive needs the column NOT NULL
        Optional<String> misfit = JavaTypes.misfit(f.type(), f.nullable() && element.getKind().isPrimitive(), typeName);
        if (misfit.isPresent()) {
            error("column " + names.getFirst() + " (" + f.type().sql() + (f.nullable() ? ", nullable" : "") + ") does not fit the result type " + element + ": " + misfit.get());
            return;
        }
        reads.add(new Read(0, typeName, f.type()));
    }
}
