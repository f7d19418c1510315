package dev.kiln.engine;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.CompiledQuery;
import dev.kiln.codegen.QueryCompiler;
import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.connectors.csv.CsvReader;
import dev.kiln.connectors.parquet.ParquetReader;
import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.connectors.tpch.TpchCatalog;
import dev.kiln.frontend.SqlFrontend;
import dev.kiln.frontend.Statement;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.optimizer.OptimizeResult;
import dev.kiln.optimizer.Optimizer;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An embedded Kiln session: a catalog of tables and views, and the path every query takes —
 * Calcite frontend → Kiln IR → optimizer passes → whole-stage compiled pipelines → off-heap
 * batches. Registered tables live as long as the session; each query runs in its own memory
 * budget, released when its {@link QueryResult} is closed (or when the session closes). A session
 * is meant for one thread at a time, like a JDBC connection.
 */
public final class Kiln implements AutoCloseable {
    private final KilnConfig config;
    private final SessionCatalog catalog = new SessionCatalog();
    private final QueryMemory tableMemory = new QueryMemory(Long.MAX_VALUE);
    private final Optimizer optimizer;
    /** Results whose memory is still held; closing the session releases them too. */
    private final Set<QueryResult> openResults = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Parquet tables read whole by {@link #table} (kept for the session). */
    private final Map<ParquetTable, Table> loadedParquet = new IdentityHashMap<>();
    private boolean closed;

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
        checkOpen();
        for (Map.Entry<String, Table> e : TpchCatalog.load(sf, tableMemory).entrySet()) catalog.put(e.getKey(), e.getValue());
    }

    /** Registers a CSV file (header row, types inferred) as table {@code name}, read into session memory now. */
    public void registerCsv(String name, Path file) {
        registerCsv(name, file, CsvOptions.defaults());
    }

    public void registerCsv(String name, Path file, CsvOptions options) {
        checkOpen();
        catalog.put(name, CsvReader.read(file, options, tableMemory).withName(name));
    }

    /**
     * Registers a Parquet file, or a directory of {@code .parquet} files with the same columns, as
     * table {@code name}. Only the footers are read now; each query then reads just the columns its
     * plan scans and the row groups whose statistics its scan filters cannot rule out.
     */
    public void registerParquet(String name, Path fileOrDir) {
        checkOpen();
        catalog.putParquet(name, ParquetTable.open(fileOrDir));
    }

    /**
     * Registers a table built elsewhere under its own name (replacing a table of that name). Its
     * memory stays the caller's: keep it open while this session may query the table.
     */
    public void registerTable(Table table) {
        checkOpen();
        catalog.put(table.name(), table);
    }

    public List<String> tableNames() {
        return catalog.tableNames();
    }

    public List<String> viewNames() {
        return catalog.viewNames();
    }

    /** The SQL text of a view, if {@code name} is one. */
    public Optional<String> viewSql(String name) {
        return catalog.viewSql(name);
    }

    /** A table's schema and row count, without reading a Parquet table's data. */
    public TableRef tableInfo(String name) {
        return catalog.ref(name);
    }

    /** A table's rows; a Parquet table is read whole into session memory on the first call. */
    public Table table(String name) {
        checkOpen();
        Optional<ParquetTable> p = catalog.parquet(name);
        if (p.isEmpty()) return catalog.data(name);
        return loadedParquet.computeIfAbsent(p.get(), t -> ParquetReader.readAll(t, tableMemory).withName(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** A query through the frontend and the optimizer, with the time each took. */
    private record Planned(Statement.Query query, OptimizeResult optimized, long parseNanos, long planNanos) {}

    private Planned plan(Statement.Query q, long parseNanos) {
        long t0 = System.nanoTime();
        OptimizeResult opt = optimizer.optimize(q.plan());
        return new Planned(q, opt, parseNanos, System.nanoTime() - t0);
    }

    /** Compiles a plan whose Parquet scans were bound by {@code scans}, reading them from {@code parquetData}. */
    private CompiledQuery compile(Rel bound, boolean source, Map<TableRef, Table> parquetData) {
        return new QueryCompiler(new CompileOptions(config.backend(), source)).compile(bound, t -> {
            Table d = parquetData.get(t);
            return d != null ? d : catalog.data(t.name());
        });
    }

    /** Compiles without running (EXPLAIN, prepare): Parquet scans get empty placeholders, nothing is read. */
    private CompiledQuery compileOnly(Rel plan, boolean source) {
        ParquetScans scans = new ParquetScans(catalog::parquet);
        Rel bound = scans.bind(plan);
        return compile(bound, source, scans.placeholders());
    }

    /**
     * Runs one SQL statement: a query (its result holds the query's memory until closed),
     * CREATE [OR REPLACE] VIEW or DROP VIEW [IF EXISTS] (a result with a message and no rows).
     */
    public QueryResult sql(String sql) {
        checkOpen();
        long t0 = System.nanoTime();
        Statement st = new SqlFrontend(catalog).compile(sql);
        long parse = System.nanoTime() - t0;
        return switch (st) {
            case Statement.CreateView v -> {
                catalog.putView(v.name(), v.sql(), v.orReplace());
                yield QueryResult.message("CREATE VIEW " + v.name(), parse);
            }
            case Statement.DropView d -> {
                if (!catalog.dropView(d.name()) && !d.ifExists()) {
                    throw new KilnException("view '" + d.name() + "' does not exist" + (catalog.viewNames().isEmpty() ? "" : "; views: " + catalog.viewNames()));
                }
                yield QueryResult.message("DROP VIEW " + d.name(), parse);
            }
            case Statement.Query q -> run(plan(q, parse));
        };
    }

    private QueryResult run(Planned p) {
        ParquetScans scans = new ParquetScans(catalog::parquet);
        Rel bound = scans.bind(p.optimized().plan());
        QueryMemory mem = new QueryMemory(config.memoryBudget());
        List<Batch> out;
        CompiledQuery cq;
        long exec;
        try {
            // reading Parquet (only the columns and row groups the scans need) counts as execution
            long t0 = System.nanoTime();
            Map<TableRef, Table> parquetData = scans.readAll(mem);
            long read = System.nanoTime() - t0;
            cq = compile(bound, false, parquetData);
            long t1 = System.nanoTime();
            out = cq.execute(mem);
            exec = read + System.nanoTime() - t1;
        } catch (RuntimeException | Error e) {
            mem.close();
            throw e;
        }
        var timings = new QueryResult.Timings(p.parseNanos(), p.planNanos(), cq.stats().compileNanos(), exec, mem.peak());
        QueryResult result = new QueryResult(p.query().columnNames(), cq.schema(), out, mem, openResults::remove, timings, cq.stats());
        openResults.add(result);
        return result;
    }

    private Planned planQuery(String sql) {
        checkOpen();
        long t0 = System.nanoTime();
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) {
            throw new KilnException("EXPLAIN needs a query, not a CREATE/DROP statement");
        }
        return plan(q, System.nanoTime() - t0);
    }

    /** Is the statement a query (as opposed to CREATE VIEW / DROP VIEW)? Parses and validates it. */
    public boolean isQuery(String sql) {
        checkOpen();
        return new SqlFrontend(catalog).compile(sql) instanceof Statement.Query;
    }

    /**
     * Plans and compiles a query without running it (SQL text to loaded classes); what a
     * prepared statement will keep. Returns the compile statistics.
     */
    public dev.kiln.codegen.CompileStats prepare(String sql) {
        Planned p = planQuery(sql);
        return compileOnly(p.optimized().plan(), false).stats();
    }

    /**
     * Empties the process-wide cache of generated classes (shared by all sessions), so the next
     * query compiles from scratch; the benchmark uses it to measure cold compile latency.
     */
    public static void clearClassCache() {
        QueryCompiler.cache().clear();
    }

    public Explain explain(String sql) {
        Planned p = planQuery(sql);
        CompiledQuery cq = compileOnly(p.optimized().plan(), false);
        return new Explain(PlanPrinter.print(p.query().plan()), p.optimized().traceSummary(), p.optimized().traceDetail(),
                PlanPrinter.print(p.optimized().plan()), cq.explainPhysical(), cq.stats().compileNanos(), config.verbose());
    }

    /** The generated Java source of every pipeline of the query. */
    public String explainCodegen(String sql) {
        Planned p = planQuery(sql);
        return compileOnly(p.optimized().plan(), true).explainCodegen();
    }

    private void checkOpen() {
        if (closed) throw new KilnException("this Kiln session is closed");
    }

    /** Closes every result still open, then releases the registered tables' memory. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (QueryResult r : List.copyOf(openResults)) r.close();
        tableMemory.close();
    }
}
