package dev.kiln.connectors.tpch;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Generates TPC-H tables in-process with the dbgen-compatible generator, straight into columnar
 * batches (money as exact cents, dates as epoch days). Large tables are generated in parts on
 * all cores; the parts are the generator's own, so the rows are identical to a serial run. If
 * any part fails (e.g. the memory budget), the memory of every part is given back.
 */
public final class TpchGenerator {
    private TpchGenerator() {}

    public static Table generate(String table, double sf, QueryMemory mem) {
        TpchSchemas.checkScaleFactor(sf);
        int parts = table.equals("nation") || table.equals("region") || sf < 0.05 ? 1 : Runtime.getRuntime().availableProcessors();
        TpchTable<?> t = tpchTable(table);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<Table>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parts)) {
            for (int p = 1; p <= parts; p++) {
                int part = p;
                int count = parts;
                futures.add(pool.submit(() -> generatePart(t, sf, part, count, mem, failed)));
            }
        } // closing the pool waits for every part, so no part is still allocating below
        List<Batch> all = new ArrayList<>();
        Throwable failure = null;
        for (Future<Table> f : futures) {
            try {
                all.addAll(f.get().batches());
            } catch (ExecutionException e) {
                // a part that stopped because another failed is not the cause worth reporting
                if (failure == null && !(e.getCause() instanceof Stopped)) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure != null) {
            TableAssembler.free(mem, all);
            if (failure instanceof KilnException k) throw k;
            throw new KilnException("TPC-H generation of " + table + " at scale factor " + sf + " failed: " + failure, failure);
        }
        return new Table(table, TpchSchemas.schema(table), all);
    }

    /**
     * Part {@code part} (1-based) of {@code partCount} of a table, exactly the rows the generator
     * gives that part; the concatenation of all parts in order is the whole table.
     */
    public static Table generate(String table, double sf, int part, int partCount, QueryMemory mem) {
        TpchSchemas.checkScaleFactor(sf);
        if (partCount < 1 || part < 1 || part > partCount) {
            throw new KilnException("TPC-H part must be between 1 and the part count " + partCount + ", not " + part);
        }
        return generatePart(tpchTable(table), sf, part, partCount, mem, new AtomicBoolean());
    }

    /** Thrown inside a part that gives up because another part failed; never leaves this class. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped: another part failed", null, false, false);
        }
    }

    private static TpchTable<?> tpchTable(String table) {
        TpchSchemas.schema(table); // rejects an unknown name with a helpful message
        return TpchTable.getTable(table);
    }

    private static <E extends TpchEntity> Table generatePart(TpchTable<E> t, double sf, int part, int parts, QueryMemory mem, AtomicBoolean failed) {
        String name = t.getTableName();
        List<TpchColumn<E>> columns = t.getColumns();
        TableAssembler out = new TableAssembler(name, TpchSchemas.schema(name), mem, TpchSchemas.rowCount(name, sf) / parts + 1);
        try {
            long rows = 0;
            for (E row : t.createGenerator(sf, part, parts)) {
                for (int c = 0; c < columns.size(); c++) {
                    TpchColumn<E> col = columns.get(c);
                    VectorBuilder b = out.column(c);
                    switch (col.getType().getBase()) {
                        case IDENTIFIER -> b.appendLong(col.getIdentifier(row));
                        case INTEGER -> b.appendInt(col.getInteger(row));
                        case DATE -> b.appendInt(col.getDate(row));
                        // money and quantities: the generator's identifier accessor is the exact value in cents
                        case DOUBLE -> b.appendLong(col.getIdentifier(row));
                        case VARCHAR -> b.appendString(col.getString(row));
                    }
                }
                out.endRow();
                // another part failed: stop early instead of generating rows that will be thrown away
                if ((++rows & 0xFFFF) == 0 && failed.get()) throw new Stopped();
            }
            return out.finish();
        } catch (RuntimeException | Error e) {
            failed.set(true);
            out.abandon();
            throw e;
        }
    }
}
