package dev.kiln.engine;

import dev.kiln.frontend.Catalog;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The tables and views of a session (names are case-insensitive, stored lower-case). */
final class SessionCatalog implements Catalog {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, TableRef> refs = new LinkedHashMap<>();
    private final Map<String, String> views = new LinkedHashMap<>();

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    void put(String name, Table table) {
        String k = key(name);
        if (views.containsKey(k)) throw new KilnException("'" + name + "' is already a view; drop it first");
        tables.put(k, table);
        refs.put(k, new TableRef(k, table.schema(), table.rowCount()));
    }

    Table data(String name) {
        Table t = tables.get(key(name));
        if (t == null) {
            throw new KilnException("table '" + name + "' is not registered"
                    + (tables.isEmpty() ? "; register one with --tpch SF or --table name=file.csv" : "; tables: " + String.join(", ", tables.keySet())));
        }
        return t;
    }

    void putView(String name, String sql, boolean orReplace) {
        String k = key(name);
        if (tables.containsKey(k)) throw new KilnException("'" + name + "' is already a table");
        if (views.containsKey(k) && !orReplace) throw new KilnException("view '" + name + "' already exists; use CREATE OR REPLACE VIEW");
        views.put(k, sql);
    }

    boolean dropView(String name) {
        return views.remove(key(name)) != null;
    }

    @Override
    public Optional<TableRef> table(String name) {
        return Optional.ofNullable(refs.get(key(name)));
    }

    @Override
    public List<String> tableNames() {
        return new ArrayList<>(refs.keySet());
    }

    @Override
    public Optional<String> viewSql(String name) {
        return Optional.ofNullable(views.get(key(name)));
    }

    @Override
    public List<String> viewNames() {
        return new ArrayList<>(views.keySet());
    }
}
