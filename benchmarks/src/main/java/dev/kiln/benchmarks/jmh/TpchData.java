package dev.kiln.benchmarks.jmh;

import dev.kiln.connectors.tpch.TpchCatalog;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stats.StatsCollector;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Resident TPC-H tables (or any tables) with their statistics, the data every kernel runs over. */
public final class TpchData implements AutoCloseable {
    private final Map<String, Table> tables;
    private final Map<String, TableStats> stats;
    private final QueryMemory memory;

    private TpchData(Map<String, Table> tables, Map<String, TableStats> stats, QueryMemory memory) {
        this.tables = tables;
        this.stats = stats;
        this.memory = memory;
    }

    /** The eight TPC-H tables at scale factor {@code sf}, mapped from the shared cache (generated into it on the first use). */
    public static TpchData tpch(double sf) {
        QueryMemory mem = new QueryMemory(Long.MAX_VALUE);
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, TableStats> stats = new LinkedHashMap<>();
        for (var e : TpchCatalog.loadWithStats(sf, mem).entrySet()) {
            tables.put(e.getKey(), e.getValue().table());
            stats.put(e.getKey(), e.getValue().stats());
        }
        return new TpchData(tables, stats, mem);
    }

    /** Tables built elsewhere (their memory stays the caller's), with statistics gathered now. */
    public static TpchData of(List<Table> list) {
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, TableStats> stats = new LinkedHashMap<>();
        for (Table t : list) {
            tables.put(t.name().toLowerCase(Locale.ROOT), t);
            stats.put(t.name().toLowerCase(Locale.ROOT), StatsCollector.collect(t));
        }
        return new TpchData(tables, stats, null);
    }

    public Table table(String name) {
        Table t = tables.get(name.toLowerCase(Locale.ROOT));
        if (t == null) throw new KilnException("table '" + name + "' is not loaded; tables: " + String.join(", ", tables.keySet()));
        return t;
    }

    Optional<TableRef> ref(String name) {
        Table t = tables.get(name.toLowerCase(Locale.ROOT));
        return t == null ? Optional.empty() : Optional.of(new TableRef(name.toLowerCase(Locale.ROOT), t.schema(), t.rowCount()));
    }

    Optional<TableStats> stats(TableRef ref) {
        return Optional.ofNullable(stats.get(ref.name().toLowerCase(Locale.ROOT)));
    }

    List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }

    /** The vectors of one column in batch order. */
    public List<ColumnVector> column(String table, String column) {
        Table t = table(table);
        int i = t.schema().indexOf(column)
                .orElseThrow(() -> new KilnException("table '" + table + "' has no column '" + column + "'; columns: " + t.schema().names()));
        return t.batches().stream().map(b -> b.column(i)).toList();
    }

    @Override
    public void close() {
        if (memory != null) memory.close();
    }
}
