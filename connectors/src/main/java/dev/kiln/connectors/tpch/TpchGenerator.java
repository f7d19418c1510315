package dev.kiln.connectors.tpch;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
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

/**
 * Generates TPC-H tables in-process with the dbgen-compatible generator, straight into columnar
 * batches (money as exact cents, dates as epoch days). Large tables are generated in parts on
 * all cores; the parts are the generator's own, so the rows are identical to a serial run.
 */
public final class TpchGenerator {
    private TpchGenerator() {}

    public static Table generate(String table, double sf, QueryMemory mem) {
        if (!(sf > 0)) throw new KilnException("TPC-H scale factor must be positive, not " + sf);
        TpchTable<?> t = TpchTable.getTable(table);
        int parts = table.equals("nation") || table.equals("region") || sf < 0.05 ? 1 : Runtime.getRuntime().availableProcessors();
        List<List<Batch>> pieces = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parts)) {
            List<Future<List<Batch>>> futures = new ArrayList<>();
            for (int p = 1; p <= parts; p++) {
                int part = p;
                int count = parts;
                futures.add(pool.submit(() -> generatePart(t, sf, part, count, mem)));
            }
            for (Future<List<Batch>> f : futures) pieces.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("TPC-H generation was interrupted", e);
        } catch (ExecutionException e) {
            throw new KilnException("TPC-H generation of " + table + " failed: " + e.getCause(), e.getCause());
        }
        List<Batch> all = new ArrayList<>();
        for (List<Batch> piece : pieces) all.addAll(piece);
        return new Table(table, TpchSchemas.schema(table), all);
    }

    private static <E extends TpchEntity> List<Batch> generatePart(TpchTable<E> t, double sf, int part, int parts, QueryMemory mem) {
        Schema schema = TpchSchemas.schema(t.getTableName());
        List<TpchColumn<E>> columns = t.getColumns();
        TableBuilder tb = new TableBuilder(t.getTableName(), schema, mem);
        for (E row : t.createGenerator(sf, part, parts)) {
            for (int c = 0; c < columns.size(); c++) {
                TpchColumn<E> col = columns.get(c);
                VectorBuilder b = tb.column(c);
                switch (col.getType().getBase()) {
                    case IDENTIFIER -> b.appendLong(col.getIdentifier(row));
                    case INTEGER -> b.appendInt(col.getInteger(row));
                    case DATE -> b.appendInt(col.getDate(row));
                    // money and quantities: the generator's identifier accessor is the exact value in cents
                    case DOUBLE -> b.appendLong(col.getIdentifier(row));
                    case VARCHAR -> b.appendString(col.getString(row));
                }
            }
            tb.endRow();
        }
        return tb.build().batches();
    }
}
