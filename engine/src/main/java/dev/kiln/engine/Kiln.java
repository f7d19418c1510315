package dev.kiln.engine;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.CompiledQuery;
import dev.kiln.codegen.QueryCompiler;
import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.connectors.csv.CsvReader;
import dev.kiln.connectors.tpch.TpchCatalog;
import dev.kiln.frontend.SqlFrontend;
import dev.kiln.frontend.Statement;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.OptimizeResult;
import dev.kiln.optimizer.Optimizer;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An embedded Kiln session: a catalog of tables and views, and the path every query takes —
 * Calcite frontend → Kiln IR → optimizer passes → whole-stage compiled pipelines → off-heap
 * batches. Registered tables live as long as the session; each query runs in its own memory
 * budget, released when its {@link QueryResult} is closed.
 */
public final class Kiln implements AutoCloseable {
    private final KilnConfig config;
    private final SessionCatalog catalog = new SessionCatalog();
    private final QueryMemory tableMemory = new QueryMemory(Long.MAX_VALUE);
    private final Optimizer optimizer;

    private Kiln(KilnConfig config) {
        this.config = config;
        this.optimizer = Optimizer.standard().disableAll(config.disabledRules());
    }

    public static Kiln open() {
        return new Kiln(KilnConfig.defaults());
    }

    public static Kiln open(KilnConfig config) {
        return new Kiln(config);
    }

    public KilnConfig config() {
        return config;
    }

    /** Registers the eight TPC-H tables at scale factor sf (generated once, then read from the disk cache). */
    public void registerTpch(double sf) {
        for (Map.Entry<String, Table> e : TpchCatalog.load(sf, tableMemory).entrySet()) catalog.put(e.getKey(), e.getValue());
    }

    public void registerCsv(String name, Path file) {
        registerCsv(name, file, CsvOptions.defaults());
    }

    public void registerCsv(String name, Path file, CsvOptions options) {
        catalog.put(name, CsvReader.read(file, options, tableMemory).withName(name));
    }

    public void registerTable(Table table) {
        catalog.put(table.name(), table);
    }

    public List<String> tableNames() {
        return catalog.tableNames();
    }

    public List<String> viewNames() {
        return catalog.viewNames();
    }

    public Table table(String name) {
        return catalog.data(name);
    }

    private record Planned(Statement.Query query, OptimizeResult optimized, long planNanos) {}

    private Planned plan(Statement.Query q, long start) {
        OptimizeResult opt = optimizer.optimize(q.plan());
        return new Planned(q, opt, System.nanoTime() - start);
    }

    private CompiledQuery compile(Rel plan, boolean source) {
        return new QueryCompiler(new CompileOptions(config.backend(), source)).compile(plan, t -> catalog.data(t.name()));
    }

    /** Runs one SQL statement (a query, CREATE VIEW or DROP VIEW). */
    public QueryResult sql(String sql) {
        long start = System.nanoTime();
        Statement st = new SqlFrontend(catalog).compile(sql);
        return switch (st) {
            case Statement.CreateView v -> {
                catalog.putView(v.name(), v.sql(), v.orReplace());
                yield QueryResult.message("CREATE VIEW " + v.name());
            }
            case Statement.DropView d -> {
                if (!catalog.dropView(d.name()) && !d.ifExists()) throw new KilnException("view '" + d.name() + "' does not exist");
                yield QueryResult.message("DROP VIEW " + d.name());
            }
            case Statement.Query q -> run(plan(q, start));
        };
    }

    private QueryResult run(Planned p) {
        CompiledQuery cq = compile(p.optimized().plan(), false);
        QueryMemory mem = new QueryMemory(config.memoryBudget());
        long t0 = System.nanoTime();
        List<Batch> out;
        try {
            out = cq.execute(mem);
        } catch (RuntimeException e) {
            mem.close();
            throw e;
        }
        long exec = System.nanoTime() - t0;
        var timings = new QueryResult.Timings(p.planNanos(), cq.stats().compileNanos(), exec, mem.peak());
        return new QueryResult(p.query().columnNames(), cq.schema(), out, mem, timings, cq.stats(), null);
    }

    private Planned planQuery(String sql) {
        long start = System.nanoTime();
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) {
            throw new KilnException("EXPLAIN needs a query, not a CREATE/DROP statement");
        }
        return plan(q, start);
    }

    /**
     * Plans and compiles a query without running it (SQL text to loaded classes); what a
     * prepared statement will keep. Returns the compile statistics.
     */
    public dev.kiln.codegen.CompileStats prepare(String sql) {
        Planned p = planQuery(sql);
        return compile(p.optimized().plan(), false).stats();
    }

    public Explain explain(String sql) {
        Planned p = planQuery(sql);
        CompiledQuery cq = compile(p.optimized().plan(), false);
        return new Explain(PlanPrinter.print(p.query().plan()), p.optimized().traceSummary(), p.optimized().traceDetail(),
                PlanPrinter.print(p.optimized().plan()), cq.explainPhysical(), cq.stats().compileNanos());
    }

    /** The generated Java source of every pipeline of the query. */
    public String explainCodegen(String sql) {
        Planned p = planQuery(sql);
        return compile(p.optimized().plan(), true).explainCodegen();
    }

    @Override
    public void close() {
        tableMemory.close();
    }
}
