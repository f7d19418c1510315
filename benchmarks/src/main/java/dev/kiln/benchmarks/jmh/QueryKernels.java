package dev.kiln.benchmarks.jmh;

import dev.kiln.codegen.Workers;
import dev.kiln.engine.TpchQueries;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.vector.Batch;
import java.math.BigDecimal;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Kernels that are real Kiln queries: each SQL text is planned and compiled once in the set-up
 * ({@link CompiledSql}), and a benchmark operation runs the generated pipelines once, on one
 * thread, over the resident TPC-H tables. Each returns a small digest of its result that the
 * tests check against an oracle.
 */
public class QueryKernels extends TpchKernel {
    /** Filter: Q6's range predicates on three columns and a SUM of a product. */
    public static final String Q6 = TpchQueries.text(6);
    /** Hash join: build on orders (1.5M keys at SF 1), probe with every lineitem row. */
    public static final String JOIN = "SELECT count(*), sum(o_totalprice) FROM lineitem JOIN orders ON l_orderkey = o_orderkey";
    /** Hash aggregation with 4 groups (two 1-character VARCHAR keys, as in Q1). */
    public static final String AGG_LOW = "SELECT l_returnflag, l_linestatus, count(*), sum(l_quantity), sum(l_extendedprice) "
            + "FROM lineitem GROUP BY l_returnflag, l_linestatus";
    /** Hash aggregation with one group per order (1.5M groups at SF 1: the table outgrows the caches). */
    public static final String AGG_HIGH = "SELECT l_orderkey, count(*), sum(l_quantity) FROM lineitem GROUP BY l_orderkey";

    private final Workers workers = Workers.single();
    private CompiledSql q6;
    private CompiledSql join;
    private CompiledSql aggLow;
    private CompiledSql aggHigh;

    /** Compiles the kernels over {@code tables} (the tests pass small generated ones). */
    @Override
    public void prepare(TpchData tables) {
        super.prepare(tables);
        q6 = CompiledSql.compile(Q6, data, workers);
        join = CompiledSql.compile(JOIN, data, workers);
        aggLow = CompiledSql.compile(AGG_LOW, data, workers);
        aggHigh = CompiledSql.compile(AGG_HIGH, data, workers);
    }

    @Override
    protected void release() {
        workers.close();
    }

    /** Q6's revenue. */
    @Benchmark
    public BigDecimal q6Filter() {
        return q6.execute(b -> (BigDecimal) single(b).column(0).getObject(0));
    }

    /** [matched rows, sum of o_totalprice over them (unscaled, scale 2)]. */
    @Benchmark
    public long[] hashJoin() {
        return join.execute(b -> {
            Batch r = single(b);
            return new long[] {r.column(0).getLong(0), r.column(1).getLong(0)};
        });
    }

    /** The 4 groups, boxed. */
    @Benchmark
    public List<List<Object>> aggLowCardinality() {
        return aggLow.execute(CompiledSql::boxed);
    }

    /** [groups, sum of the counts, sum of the quantity sums (unscaled)]: an order-free digest of 1.5M groups. */
    @Benchmark
    public long[] aggHighCardinality() {
        return aggHigh.execute(batches -> {
            long groups = 0;
            long count = 0;
            long quantity = 0;
            for (Batch b : batches) {
                groups += b.rowCount();
                var counts = b.column(1);
                var sums = b.column(2);
                for (int r = 0; r < b.rowCount(); r++) {
                    count += counts.getLong(r);
                    quantity += sums.getLong(r);
                }
            }
            return new long[] {groups, count, quantity};
        });
    }

    CompiledSql aggHighQuery() {
        return aggHigh;
    }

    private static Batch single(List<Batch> batches) {
        List<Batch> nonEmpty = batches.stream().filter(b -> b.rowCount() > 0).toList();
        if (nonEmpty.size() != 1 || nonEmpty.getFirst().rowCount() != 1) {
            throw new KilnException("expected one result row, got " + batches.stream().mapToInt(Batch::rowCount).sum());
        }
        return nonEmpty.getFirst();
    }
}
