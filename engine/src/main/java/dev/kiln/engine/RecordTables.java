package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.JavaTypes;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Java records as tables and tables' rows as records. A table from records has one column per
 * component, named as the component in lowercase (so SQL's unquoted names match it), of the SQL
 * type {@link JavaTypes} gives; primitive components are NOT NULL, others nullable. A BigDecimal
 * component becomes DECIMAL(18, s) with s the largest scale among its values.
 */
final class RecordTables {
    private RecordTables() {}

    static <R extends Record> Table build(String name, Class<R> type, Collection<? extends R> rows, QueryMemory memory) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) throw new KilnException(type.getName() + " is not a record");
        if (components.length == 0) throw new KilnException("record " + type.getSimpleName() + " has no components, so the table would have no columns");
        List<Field> fields = new ArrayList<>();
        List<java.lang.reflect.Method> getters = new ArrayList<>();
        for (RecordComponent c : components) {
            Class<?> t = c.getType();
            int scale = t == BigDecimal.class ? maxScale(rows, c) : 0;
            DataType sql = JavaTypes.sqlType(t.getName(), scale).orElseThrow(() -> new KilnException("component " + type.getSimpleName() + "." + c.getName()
                    + " is a " + t.getSimpleName() + ", which no SQL type holds; use boolean, int, long, double, BigDecimal, String, LocalDate or LocalDateTime (or their boxed types)"));
            fields.add(new Field(c.getName().toLowerCase(Locale.ROOT), sql, !t.isPrimitive()));
            java.lang.reflect.Method m = c.getAccessor();
            m.setAccessible(true);
            getters.add(m);
        }
        Schema schema = new Schema(fields);
        List<Batch> batches = new ArrayList<>();
        List<? extends R> all = List.copyOf(rows);
        int start = 0;
        do {
            int n = Math.min(Table.MORSEL_ROWS, all.size() - start);
            List<ColumnVector> cols = new ArrayList<>();
            for (int c = 0; c < fields.size(); c++) {
                VectorBuilder b = new VectorBuilder(fields.get(c).type(), memory, Math.max(1, n));
                for (int i = 0; i < n; i++) {
                    Object v = read(getters.get(c), all.get(start + i));
                    try {
                        b.appendObject(v instanceof Float f ? (double) f : v);
                    } catch (IllegalArgumentException e) {
                        throw new KilnException("row " + (start + i) + ", " + type.getSimpleName() + "." + components[c].getName() + ": " + e.getMessage());
                    }
                }
                cols.add(b.build());
            }
            batches.add(new Batch(schema, cols, n));
            start += n;
        } while (start < all.size());
        return new Table(name.toLowerCase(Locale.ROOT), schema, batches);
    }

    private static int maxScale(Collection<?> rows, RecordComponent c) {
        int scale = 0;
        for (Object r : rows) {
            if (read(c.getAccessor(), r) instanceof BigDecimal d) scale = Math.max(scale, d.scale());
        }
        if (scale > DataType.DecimalType.MAX_PRECISION - 1) throw new KilnException("component " + c.getName() + " has values with " + scale + " decimal places; at most 17 fit a DECIMAL");
        return scale;
    }

    private static Object read(java.lang.reflect.Method getter, Object row) {
        if (row == null) throw new KilnException("a row of the collection is null");
        try {
            return getter.invoke(row);
        } catch (ReflectiveOperationException e) {
            throw new KilnException("cannot read " + getter.getName() + " of " + row.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /** Maps result columns to the components of {@code type} by name (ignoring case and underscores), checking types. */
    static <R extends Record> List<R> read(QueryResult result, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) throw new KilnException(type.getName() + " is not a record");
        int[] columnOf = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        List<String> names = result.columnNames();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            columnOf[i] = JavaTypes.columnFor(names, c.getName());
            if (columnOf[i] < 0) {
                throw new KilnException("record " + type.getSimpleName() + " has component '" + c.getName() + "' but the result has no such column; columns: " + names);
            }
            Field f = result.schema().field(columnOf[i]);
            String misfit = JavaTypes.misfit(f.type(), f.nullable(), c.getType().getName()).orElse(null);
            if (misfit != null) throw new KilnException("column '" + names.get(columnOf[i]) + "' into " + type.getSimpleName() + "." + c.getName() + ": " + misfit);
            types[i] = c.getType();
        }
        java.lang.reflect.Constructor<R> ctor;
        try {
            ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new KilnException("record " + type.getSimpleName() + " has no canonical constructor", e);
        }
        List<R> out = new ArrayList<>();
        for (Object[] row : result.rows()) {
            Object[] args = new Object[components.length];
            for (int i = 0; i < args.length; i++) {
                Object v = row[columnOf[i]];
                if (v == null && types[i].isPrimitive()) {
                    throw new KilnException("column '" + names.get(columnOf[i]) + "' is NULL in a row, which " + type.getSimpleName() + "." + components[i].getName() + " (" + types[i] + ") cannot hold");
                }
                args[i] = JavaTypes.convert(v, types[i]);
            }
            try {
                out.add(ctor.newInstance(args));
            } catch (ReflectiveOperationException e) {
                throw new KilnException("constructing " + type.getSimpleName() + " failed: " + e.getCause(), e);
            }
        }
        return out;
    }
}
