package dev.kiln.processor;

import dev.kiln.frontend.Catalog;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.JavaTypes;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The tables the queries of a compilation may read: each {@code @KilnTable} record's components
 * as columns (several records of one table add up, as long as they agree on each column's type).
 * A {@link Catalog} for the SQL frontend, so queries are validated exactly as the engine will.
 */
final class DeclaredTables implements Catalog {
    /** A column and the record that declared it. */
    record DeclaredColumn(String name, DataType type, boolean nullable, String record) {}

    private final Map<String, String> tableNames = new LinkedHashMap<>();
    private final Map<String, Map<String, DeclaredColumn>> columns = new LinkedHashMap<>();
    private final Map<String, String> declaredBy = new LinkedHashMap<>();
    private final Messager messager;

    DeclaredTables(Messager messager) {
        this.messager = messager;
    }

    /** Adds a record's table; reports what is wrong with it at the record or component. */
    void declare(TypeElement record) {
        String qualified = record.getQualifiedName().toString();
        if (declaredBy.containsKey(qualified)) return;
        AnnotationMirror table = Annotations.find(record, "dev.kiln.annotations.KilnTable").orElseThrow();
        if (record.getKind() != ElementKind.RECORD) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@KilnTable goes on a record whose components are the table's columns; " + record.getSimpleName() + " is a " + record.getKind().toString().toLowerCase(Locale.ROOT), record, table);
            return;
        }
        String name = Annotations.string(table, "value").orElse("").trim();
        if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@KilnTable needs a table name (letters, digits and _), not '" + name + "'", record, table);
            return;
        }
        String prefix = Annotations.string(table, "prefix").orElse("");
        String key = name.toLowerCase(Locale.ROOT);
        declaredBy.put(qualified, key);
        tableNames.putIfAbsent(key, key);
        Map<String, DeclaredColumn> cols = columns.computeIfAbsent(key, k -> new LinkedHashMap<>());
        for (RecordComponentElement c : record.getRecordComponents()) {
            Optional<AnnotationMirror> col = Annotations.find(c, "dev.kiln.annotations.Column");
            String column = col.flatMap(a -> Annotations.string(a, "value")).filter(s -> !s.isEmpty()).orElse(prefix + c.getSimpleName().toString())
                    .toLowerCase(Locale.ROOT);
            int scale = col.flatMap(a -> Annotations.integer(a, "scale")).filter(s -> s >= 0).orElse(JavaTypes.DEFAULT_DECIMAL_SCALE);
            String javaType = Annotations.typeName(c.asType());
            Optional<DataType> type = JavaTypes.sqlType(javaType, scale);
            if (type.isEmpty()) {
                messager.printMessage(Diagnostic.Kind.ERROR, "component " + c.getSimpleName() + " is a " + javaType
                        + ", which no SQL column type holds; use boolean, byte, short, int, long, double (or their boxes), BigDecimal, String, LocalDate or LocalDateTime", c);
                continue;
            }
            boolean notNull = JavaTypes.isPrimitive(javaType) || col.flatMap(a -> Annotations.value(a, "notNull")).map(v -> (Boolean) v.getValue()).orElse(false);
            DeclaredColumn d = new DeclaredColumn(column, type.get(), !notNull, record.getSimpleName().toString());
            DeclaredColumn before = cols.putIfAbsent(column, d);
            if (before != null && (!before.type().equals(d.type()) || before.nullable() != d.nullable())) {
                messager.printMessage(Diagnostic.Kind.ERROR, "column " + name + "." + column + " is " + describe(d) + " here but " + describe(before)
                        + " in " + before.record() + "; records of one table must agree on each column's type", c);
            }
        }
    }

    private static String describe(DeclaredColumn c) {
        return c.type().sql() + (c.nullable() ? "" : " NOT NULL");
    }

    /** The table a record declared, if it did. */
    Optional<String> tableOf(String recordQualifiedName) {
        return Optional.ofNullable(declaredBy.get(recordQualifiedName));
    }

    List<DeclaredColumn> columns(String table) {
        return new ArrayList<>(columns.getOrDefault(table.toLowerCase(Locale.ROOT), Map.of()).values());
    }

    @Override
    public Optional<TableRef> table(String name) {
        Map<String, DeclaredColumn> cols = columns.get(name.toLowerCase(Locale.ROOT));
        if (cols == null) return Optional.empty();
        List<Field> fields = cols.values().stream().map(c -> new Field(c.name(), c.type(), c.nullable())).toList();
        return Optional.of(new TableRef(name.toLowerCase(Locale.ROOT), new Schema(fields), -1));
    }

    @Override
    public List<String> tableNames() {
        return List.copyOf(tableNames.keySet());
    }

    @Override
    public Optional<String> viewSql(String name) {
        return Optional.empty();
    }

    static boolean isRecord(Element e) {
        return e.getKind() == ElementKind.RECORD;
    }
}
