package dev.kiln.engine;

import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.frontend.Catalog;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.runtime.stats.StatsCollector;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tables and views of a session (names are case-insensitive, stored lower-case). A table is
 * either in memory ({@link Table}) or a Parquet file read by each query (only the columns and row
 * groups it needs, see {@link ParquetScans}).
 */
final class SessionCatalog implements Catalog {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, ParquetTable> parquet = new LinkedHashMap<>();
    private final Map<String, ImageScans.Source> images = new LinkedHashMap<>();
    private final Map<String, TableRef> refs = new LinkedHashMap<>();
    private final Map<String, String> views = new LinkedHashMap<>();
    private final Map<String, TableStats> stats = new LinkedHashMap<>();
    /** Counts the changes to tables, views and statistics: a plan made at another version may be stale. */
    private long version;

    long version() {
        return version;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Registers a table with statistics gathered from its data now. */
    void put(String name, Table table) {
        put(name, table, StatsCollector.collect(table));
    }

    void put(String name, Table table, TableStats tableStats) {
        String k = key(name);
        if (views.containsKey(k)) throw new KilnException("'" + name + "' is already a view; drop it first");
        parquet.remove(k);
        images.remove(k);
        tables.put(k, table);
        version++;
        refs.put(k, new TableRef(k, table.schema(), table.rowCount()));
        stats.put(k, tableStats);
    }

    /** Gathers the statistics of a registered table again (ANALYZE); returns them. */
    TableStats analyze(String name, Table data) {
        TableStats s = StatsCollector.collect(data);
        stats.put(key(name), s);
        version++;
        return s;
    }

    /** The statistics of a table as the optimizer asks for them. */
    Optional<TableStats> stats(TableRef table) {
        return Optional.ofNullable(stats.get(key(table.name())));
    }

    void putParquet(String name, ParquetTable table) {
        String k = key(name);
        if (views.containsKey(k)) throw new KilnException("'" + name + "' is already a view; drop it first");
        tables.remove(k);
        images.remove(k);
        parquet.put(k, table);
        version++;
        refs.put(k, new TableRef(k, table.schema(), table.rowCount()));
    }

    /** Registers a directory of images, decoded by each query that scans it (see {@link ImageScans}). */
    void putImages(String name, ImageScans.Source source) {
        String k = key(name);
        if (views.containsKey(k)) throw new KilnException("'" + name + "' is already a view; drop it first");
        tables.remove(k);
        parquet.remove(k);
        stats.remove(k);
        images.put(k, source);
        version++;
        refs.put(k, new TableRef(k, dev.kiln.connectors.images.ImageTable.TYPE, source.files().size()));
    }

    Optional<ImageScans.Source> images(String name) {
        return Optional.ofNullable(images.get(key(name)));
    }

    Optional<ParquetTable> parquet(String name) {
        return Optional.ofNullable(parquet.get(key(name)));
    }

    /** An in-memory table (not a Parquet or image one: those are read per query). */
    Table data(String name) {
        Table t = tables.get(key(name));
        if (t == null) throw notRegistered(name);
        return t;
    }

    /** Any table's schema and row count. */
    TableRef ref(String name) {
        TableRef r = refs.get(key(name));
        if (r == null) throw notRegistered(name);
        return r;
    }

    private KilnException notRegistered(String name) {
        return new KilnException("table '" + name + "' is not registered"
                + (refs.isEmpty() ? "; register one with --tpch SF or --table name=file.csv|file.parquet|dir" : "; tables: " + String.join(", ", refs.keySet())));
    }

    void putView(String name, String sql, boolean orReplace) {
        String k = key(name);
        if (refs.containsKey(k)) throw new KilnException("'" + name + "' is already a table");
        if (views.containsKey(k) && !orReplace) throw new KilnException("view '" + name + "' already exists; use CREATE OR REPLACE VIEW");
        views.put(k, sql);
        version++;
    }

    /** Removes a table (of either kind) and its statistics. */
    void remove(String name) {
        String k = key(name);
        tables.remove(k);
        parquet.remove(k);
        images.remove(k);
        refs.remove(k);
        stats.remove(k);
        version++;
    }

    boolean dropView(String name) {
        version++;
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

    private final Map<String, dev.kiln.ir.rel.ModelRef> models = new LinkedHashMap<>();
    private final Map<String, List<dev.kiln.ir.rel.ModelRef>> stages = new LinkedHashMap<>();

    /** Registers (or replaces) a model; plans that used an older one are stale. */
    void putModel(String name, dev.kiln.ir.tensor.TensorGraph graph) {
        putModel(name, Optional.empty(), graph, Optional.empty());
    }

    /** A model with the graphs that run before and after it on each call (named name$before, name$after). */
    void putModel(String name, Optional<dev.kiln.ir.tensor.TensorGraph> before, dev.kiln.ir.tensor.TensorGraph graph, Optional<dev.kiln.ir.tensor.TensorGraph> after) {
        String k = key(name);
        version++;
        var core = new dev.kiln.ir.rel.ModelRef(k, version, graph);
        List<dev.kiln.ir.rel.ModelRef> all = new ArrayList<>();
        before.ifPresent(g -> all.add(new dev.kiln.ir.rel.ModelRef(k + "$before", version, g)));
        all.add(core);
        after.ifPresent(g -> all.add(new dev.kiln.ir.rel.ModelRef(k + "$after", version, g)));
        models.put(k, core);
        stages.put(k, List.copyOf(all));
    }

    boolean dropModel(String name) {
        boolean had = models.remove(key(name)) != null;
        stages.remove(key(name));
        if (had) version++;
        return had;
    }

    @Override
    public Optional<dev.kiln.ir.rel.ModelRef> model(String name) {
        return Optional.ofNullable(models.get(key(name)));
    }

    @Override
    public List<dev.kiln.ir.rel.ModelRef> modelStages(String name) {
        return stages.getOrDefault(key(name), List.of());
    }

    @Override
    public List<String> modelNames() {
        return new ArrayList<>(models.keySet());
    }
}
