package dev.kiln.connectors.tpch;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.runtime.stats.StatsCollector;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The eight TPC-H tables at one scale factor: from the disk cache, else generated and cached. */
public final class TpchCatalog {
    private TpchCatalog() {}

    public static Map<String, Table> load(double sf, QueryMemory mem) {
        return load(sf, mem, TpchCache.standard());
    }

    public static Map<String, Table> load(double sf, QueryMemory mem, TpchCache cache) {
        TpchSchemas.checkScaleFactor(sf);
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String name : TpchSchemas.TABLES) {
            Optional<Table> cached = cache.load(name, sf, TpchSchemas.schema(name));
            Table t = cached.orElseGet(() -> {
                Table generated = TpchGenerator.generate(name, sf, mem);
                cache.store(generated, sf);
                return generated;
            });
            tables.put(name, t);
        }
        return tables;
    }

    /** A loaded table with its statistics. */
    public record Loaded(Table table, TableStats stats) {}

    /**
     * The tables with their statistics: read from next to the cached data, else gathered once by
     * {@link StatsCollector} and stored there, so that a cached load does no per-row work.
     */
    public static Map<String, Loaded> loadWithStats(double sf, QueryMemory mem) {
        return loadWithStats(sf, mem, TpchCache.standard());
    }

    public static Map<String, Loaded> loadWithStats(double sf, QueryMemory mem, TpchCache cache) {
        Map<String, Loaded> out = new LinkedHashMap<>();
        for (Map.Entry<String, Table> e : load(sf, mem, cache).entrySet()) {
            Table t = e.getValue();
            TableStats stats = cache.loadStats(e.getKey(), sf, t.schema(), t.rowCount()).orElseGet(() -> {
                TableStats s = StatsCollector.collect(t);
                cache.storeStats(e.getKey(), sf, s);
                return s;
            });
            out.put(e.getKey(), new Loaded(t, stats));
        }
        return out;
    }

    /** Table refs for planning before (or without) loading, with the specification's row counts. */
    public static Map<String, TableRef> refs(double sf) {
        Map<String, TableRef> refs = new LinkedHashMap<>();
        for (String name : TpchSchemas.TABLES) refs.put(name, TpchSchemas.tableRef(name, sf));
        return refs;
    }

    /** Table refs with the actual row counts. */
    public static Map<String, TableRef> refs(Map<String, Table> tables) {
        Map<String, TableRef> refs = new LinkedHashMap<>();
        tables.forEach((n, t) -> refs.put(n, new TableRef(n, t.schema(), t.rowCount())));
        return refs;
    }
}
