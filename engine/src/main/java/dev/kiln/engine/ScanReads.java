package dev.kiln.engine;

import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One query's reads of the tables that are read per query - Parquet files ({@link ParquetScans})
 * and image directories ({@link ImageScans}): the plan with their scans bound to what they read,
 * then the tables read (or, for a plan only compiled, empty placeholders), keyed by the bound
 * scans' refs (identity).
 */
final class ScanReads {
    private final ParquetScans parquet;
    private final ImageScans images;

    ScanReads(SessionCatalog catalog, int threads) {
        this.parquet = new ParquetScans(catalog::parquet);
        this.images = new ImageScans(catalog::images, threads);
    }

    Rel bind(Rel plan) {
        return images.bind(parquet.bind(plan));
    }

    /** Reads every bound scan's table into {@code mem} (an empty map when the plan has none). */
    Map<TableRef, Table> readAll(QueryMemory mem) {
        Map<TableRef, Table> out = new IdentityHashMap<>(parquet.readAll(mem));
        out.putAll(images.readAll(mem));
        return out;
    }

    /** Empty tables of the bound scans, for plans that are compiled but not run (EXPLAIN). */
    Map<TableRef, Table> placeholders() {
        Map<TableRef, Table> out = new IdentityHashMap<>(parquet.placeholders());
        out.putAll(images.placeholders());
        return out;
    }

    /** {@code rel} with {@code bind} applied to its inputs; {@code rel} itself when none changed (by identity: a rebound scan may equal the old one structurally). */
    static Rel rebindInputs(Rel rel, UnaryOperator<Rel> bind) {
        List<Rel> inputs = new ArrayList<>();
        boolean changed = false;
        for (Rel in : rel.inputs()) {
            Rel b = bind.apply(in);
            changed |= b != in;
            inputs.add(b);
        }
        return changed ? rel.withInputs(inputs) : rel;
    }

    /** An empty table per ref, keyed by identity. */
    static Map<TableRef, Table> emptyTables(Set<TableRef> refs) {
        Map<TableRef, Table> out = new IdentityHashMap<>();
        for (TableRef ref : refs) out.put(ref, new Table(ref.name(), ref.schema(), List.of()));
        return out;
    }
}
