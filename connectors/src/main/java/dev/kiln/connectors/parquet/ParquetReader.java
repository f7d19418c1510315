package dev.kiln.connectors.parquet;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads columns of a {@link ParquetTable} into a Kiln table in {@link QueryMemory}: only the
 * requested columns, only the row groups the {@link RowGroupFilter} keeps. Each row group
 * becomes batches of at most {@link Table#MORSEL_ROWS} rows; every (row group, column) chunk is
 * decoded as its own task on a shared pool, so a wide or long table loads on all cores. The
 * files are memory-mapped for the duration of the read; the result owns copies in {@code mem}.
 * A failed read frees everything it allocated and throws a {@link KilnException} naming the
 * file, row group and column.
 */
public final class ParquetReader {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "kiln-parquet");
        t.setDaemon(true);
        return t;
    });

    private ParquetReader() {}

    /** What a read produced and how many row groups it decoded (the others were skipped by the filter). */
    public record Scan(Table table, int rowGroupsRead, int rowGroupsTotal) {}

    /** Columns {@code columns} (indexes into the table's schema, in that order) of the row groups {@code filter} keeps. */
    public static Table read(ParquetTable table, List<Integer> columns, RowGroupFilter filter, QueryMemory mem) {
        return scan(table, table.defaultName(), columns, filter, mem).table();
    }

    /** Every column and row. */
    public static Table readAll(ParquetTable table, QueryMemory mem) {
        List<Integer> all = java.util.stream.IntStream.range(0, table.schema().size()).boxed().toList();
        return read(table, all, RowGroupFilter.all(), mem);
    }

    public static Scan scan(ParquetTable table, String name, List<Integer> columns, RowGroupFilter filter, QueryMemory mem) {
        Schema schema = table.schema().select(columns);
        List<ParquetTable.RowGroup> groups = filter.select(table);
        @SuppressWarnings("unchecked")
        List<ColumnVector>[][] chunks = new List[groups.size()][columns.size()];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment[] mapped = new MemorySegment[table.files().size()];
            for (ParquetTable.RowGroup g : groups) {
                if (mapped[g.file()] == null) mapped[g.file()] = table.file(g.file()).map(arena);
            }
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int gi = 0; gi < groups.size(); gi++) {
                ParquetTable.RowGroup g = groups.get(gi);
                ParquetFile f = table.file(g.file());
                for (int ci = 0; ci < columns.size(); ci++) {
                    int slotG = gi, slotC = ci;
                    ParquetColumn col = f.columns().get(columns.get(ci));
                    var meta = f.meta().rowGroups().get(g.index()).columns().get(col.index()).meta();
                    tasks.add(() -> {
                        chunks[slotG][slotC] = ColumnChunkReader.read(f.path().toString(), mapped[g.file()], f.dataEnd(), g.index(), g.rows(), col, meta, mem);
                        return null;
                    });
                }
            }
            runAll(tasks);
        } catch (RuntimeException | Error e) {
            for (List<ColumnVector>[] row : chunks) {
                for (List<ColumnVector> vs : row) if (vs != null) for (ColumnVector v : vs) TableAssembler.free(mem, v);
            }
            throw e;
        }
        List<Batch> batches = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            int slices = (int) ((groups.get(gi).rows() + Table.MORSEL_ROWS - 1) / Table.MORSEL_ROWS);
            for (int s = 0; s < slices; s++) {
                List<ColumnVector> cols = new ArrayList<>(columns.size());
                for (int ci = 0; ci < columns.size(); ci++) cols.add(chunks[gi][ci].get(s));
                batches.add(new Batch(schema, cols, (int) Math.min(Table.MORSEL_ROWS, groups.get(gi).rows() - (long) s * Table.MORSEL_ROWS)));
            }
        }
        return new Scan(new Table(name, schema, batches), groups.size(), table.rowGroups().size());
    }

    /** Runs every task to its end (so none still writes when this returns), then rethrows the first failure. */
    private static void runAll(List<Callable<Void>> tasks) {
        if (tasks.isEmpty()) return;
        List<Future<Void>> futures;
        try {
            futures = POOL.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("interrupted while reading Parquet");
        }
        RuntimeException failure = null;
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new KilnException("reading Parquet failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KilnException("interrupted while reading Parquet");
            }
        }
        if (failure != null) throw failure;
    }
}
