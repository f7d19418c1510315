package dev.kiln.connectors.tpch;

import dev.kiln.ir.rel.TableRef;
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
