package dev.kiln.benchmarks.jmh;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.CompiledQuery;
import dev.kiln.codegen.QueryCompiler;
import dev.kiln.codegen.Workers;
import dev.kiln.frontend.Catalog;
import dev.kiln.frontend.SqlFrontend;
import dev.kiln.frontend.Statement;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.optimizer.Optimizer;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A SQL query taken once through the path every Kiln query takes (Calcite frontend, the standard
 * optimizer with the tables' statistics, whole-stage code generation into loaded classes), so that
 * a benchmark times only what repeats per query: the generated pipelines over resident tables.
 * Each {@link #execute} runs in a fresh query memory, released before it returns.
 */
public final class CompiledSql {
    private final String sql;
    private final CompiledQuery query;
    private final Workers workers;

    private CompiledSql(String sql, CompiledQuery query, Workers workers) {
        this.sql = sql;
        this.query = query;
        this.workers = workers;
    }

    /** Plans and compiles {@code sql} over {@code data}; the query runs on {@code workers}' threads. */
    public static CompiledSql compile(String sql, TpchData data, Workers workers) {
        Catalog catalog = new Catalog() {
            @Override
            public Optional<TableRef> table(String name) {
                return data.ref(name);
            }

            @Override
            public List<String> tableNames() {
                return data.tableNames();
            }

            @Override
            public Optional<String> viewSql(String name) {
                return Optional.empty();
            }
        };
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) {
            throw new KilnException("a benchmark kernel must be a query: " + sql);
        }
        var plan = Optimizer.standard().withStatistics(data::stats).optimize(q.plan()).plan();
        CompiledQuery cq = new QueryCompiler(CompileOptions.defaults()).compile(plan, t -> data.table(t.name()));
        return new CompiledSql(sql, cq, workers);
    }

    public String sql() {
        return sql;
    }

    /** Runs the compiled pipelines once and returns {@code digest} of the result batches (read before their memory is freed). */
    public <T> T execute(Function<List<Batch>, T> digest) {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            return digest.apply(query.execute(mem, workers));
        }
    }

    /** Every result row, boxed (for tests and checks, not for timing). */
    public List<List<Object>> rows() {
        return execute(CompiledSql::boxed);
    }

    static List<List<Object>> boxed(List<Batch> batches) {
        List<List<Object>> rows = new ArrayList<>();
        for (Batch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                List<Object> row = new ArrayList<>(b.columns().size());
                for (var c : b.columns()) row.add(c.getObject(r));
                rows.add(row);
            }
        }
        return rows;
    }
}
