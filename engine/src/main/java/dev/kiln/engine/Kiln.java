package dev.kiln.engine;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.CompiledQuery;
import dev.kiln.codegen.Workers;
import dev.kiln.codegen.QueryCompiler;
import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.connectors.csv.CsvReader;
import dev.kiln.connectors.parquet.ParquetReader;
import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.connectors.tpch.TpchCatalog;
import dev.kiln.frontend.SqlFrontend;
import dev.kiln.frontend.Statement;
import dev.kiln.frontend.plan.HasRelation;
import dev.kiln.frontend.plan.Relation;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.optimizer.OptimizeResult;
import dev.kiln.optimizer.Optimizer;
import dev.kiln.optimizer.cost.Estimator;
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
    /** Tables made by CREATE TABLE and filled by INSERT. */
    private final SqlTables sqlTables = new SqlTables();
    private final Optimizer optimizer;
    private final Workers workers;
    /** Results whose memory is still held; closing the session releases them too. */
    private final Set<QueryResult> openResults = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Parquet tables read whole by {@link #table} (kept for the session). */
    private final Map<ParquetTable, Table> loadedParquet = new IdentityHashMap<>();
    private final Map<ImageScans.Source, Table> loadedImages = new IdentityHashMap<>();
    private boolean closed;
    /** Streams registered with {@link #readStream}, by lower-case name (each also a table of no rows in the catalog). */
    private final Map<String, dev.kiln.engine.stream.StreamDefinition> streams = new java.util.LinkedHashMap<>();
    /** CREATE STREAM / CREATE SINK / INSERT INTO sink; and every streaming query started in the session. */
    private final StreamStatements streamStatements = new StreamStatements(this);
    private final List<dev.kiln.engine.stream.StreamingQuery> started = new java.util.ArrayList<>();
    /** Optimized plans by query text. */
    private final PlanCache plans;

    private Kiln(KilnConfig config) {
        this.config = config;
        this.plans = new PlanCache(config.planCacheSize(), catalog::version);
        this.optimizer = Optimizer.standard().disableAll(config.disabledRules()).withStatistics(catalog::stats);
        this.workers = new Workers(config.threads());
    }

    static {
        CompiledModelRunner.install();
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

    /**
     * Registers the eight TPC-H tables at scale factor sf (generated once, then read from the disk
     * cache, with their statistics, which are gathered once and kept in the cache too).
     */
    public void registerTpch(double sf) {
        checkOpen();
        for (var e : TpchCatalog.loadWithStats(sf, tableMemory).entrySet()) catalog.put(e.getKey(), e.getValue().table(), e.getValue().stats());
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
     * Registers a model (a tensor graph: its inputs and outputs have the batch as their first
     * dimension) as {@code name}, callable in SQL as {@code PREDICT(name, column, ...)}.
     */
    public void registerModel(String name, dev.kiln.ir.tensor.TensorGraph graph) {
        checkOpen();
        dev.kiln.ir.tensor.TensorGraphValidator.validate(graph);
        catalog.putModel(name, graph);
    }

    /** The model registered as {@code name}. */
    public Optional<dev.kiln.ir.rel.ModelRef> model(String name) {
        return catalog.model(name);
    }

    /**
     * Registers a directory of images (PNG, JPEG, BMP, GIF) as table {@code name}, one row per file:
     * {@code origin}, {@code image} - Spark's image struct (origin, height, width, nChannels, mode
     * and the pixels as {@code data}, a UINT8 tensor [height, width, nChannels] in B, G, R order) -
     * and {@code error}, saying why a file that is not a readable image has a NULL image (see
     * {@code ImageTable}). The files are listed now and decoded by each query that scans the table,
     * as Spark's source reads them in its tasks; a filter on {@code image.height} or
     * {@code image.width} right above the scan skips the files whose header rules them out, without
     * decoding their pixels ({@link ImageScans}).
     */
    public void registerImages(String name, Path dir) {
        checkOpen();
        catalog.putImages(name, new ImageScans.Source(dir, dev.kiln.connectors.images.ImageTable.list(name, dir)));
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
     * Registers a table built elsewhere under its own name (replacing a table of that name), and
     * gathers its statistics. Its memory stays the caller's: keep it open while this session may
     * query the table.
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

    /**
     * A table or view as a plan-API frame, the start of a query built in code:
     * {@code kiln.table("lineitem").filter(...).groupBy(...).agg(...).collect()}. Its columns are
     * qualified by the table's name.
     */
    public Frame table(String name) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        Optional<String> view = catalog.viewSql(name);
        if (view.isPresent()) {
            Statement.Query q = (Statement.Query) new SqlFrontend(catalog).compile(view.get());
            return new Frame(this, Relation.of(q.plan()).as(name.toLowerCase(java.util.Locale.ROOT)));
        }
        return new Frame(this, Relation.scan(catalog.ref(name)));
    }

    /** A SQL query as a frame, to go on with the plan API. */
    public Frame sqlFrame(String query) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        if (!(new SqlFrontend(catalog).compile(query) instanceof Statement.Query q)) {
            throw new KilnException("sqlFrame() needs a query, not a CREATE/DROP statement");
        }
        return new Frame(this, Relation.of(q.plan()));
    }

    /** A frame over any relation built with the plan API (for instance with {@link Relation#scan}). */
    public Frame frame(HasRelation relation) {
        checkOpen();
        return new Frame(this, relation.relation());
    }

    /**
     * Registers a collection of records as table {@code name}: one column per record component,
     * named as the component (lowercase), typed as {@link RecordTables} says; read into session
     * memory now.
     */
    public <R extends Record> void registerRecords(String name, Class<R> type, java.util.Collection<? extends R> rows) {
        checkOpen();
        catalog.put(name, RecordTables.build(name, type, rows, tableMemory));
    }

    /** A table's rows; a Parquet table is read whole into session memory on the first call. */
    public Table tableData(String name) {
        checkOpen();
        Optional<ImageScans.Source> images = catalog.images(name);
        if (images.isPresent()) {
            return loadedImages.computeIfAbsent(images.get(), s -> dev.kiln.connectors.images.ImageTable.read(name.toLowerCase(java.util.Locale.ROOT), s.files(),
                    tableMemory, config.threads()));
        }
        Optional<ParquetTable> p = catalog.parquet(name);
        if (p.isEmpty()) return catalog.data(name);
        return loadedParquet.computeIfAbsent(p.get(), t -> ParquetReader.readAll(t, tableMemory).withName(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** A query through the frontend and the optimizer, with the time each took. */
    /**
     * @param fromCache the plan came from the session's plan cache (parsing and optimization skipped)
     * @param compiled  where the compiled query is kept for the next run of the same text
     */
    private record Planned(Statement.Query query, OptimizeResult optimized, long parseNanos, long planNanos, boolean fromCache,
                           java.util.concurrent.atomic.AtomicReference<CompiledQuery> compiled) {}

    private Planned plan(Statement.Query q, long parseNanos) {
        long t0 = System.nanoTime();
        OptimizeResult opt = optimizer.optimize(q.plan());
        return new Planned(q, opt, parseNanos, System.nanoTime() - t0, false, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** Compiles a plan whose Parquet and image scans were bound ({@link ScanReads}), reading them from {@code parquetData}. */
    private CompiledQuery compile(Rel bound, boolean source, Map<TableRef, Table> parquetData) {
        return compile(bound, new CompileOptions(config.backend(), source), parquetData);
    }

    private CompiledQuery compile(Rel bound, CompileOptions options, Map<TableRef, Table> parquetData) {
        return new QueryCompiler(options).compile(bound, t -> {
            Table d = parquetData.get(t);
            return d != null ? d : catalog.data(t.name());
        });
    }

    /** Compiles without running (EXPLAIN, prepare): Parquet scans get empty placeholders, nothing is read. */
    private CompiledQuery compileOnly(Rel plan, boolean source) {
        ScanReads scans = new ScanReads(catalog, config.threads());
        Rel bound = scans.bind(plan);
        return compile(bound, source, scans.placeholders());
    }

    /**
     * Runs one SQL statement: a query (its result holds the query's memory until closed),
     * CREATE [OR REPLACE] VIEW, DROP VIEW [IF EXISTS] or ANALYZE [table] (which gathers the
     * statistics of one or every table again); the last three give a message and no rows.
     * {@code EXPLAIN [ANALYZE] query} returns the explain output as rows of one column, {@code plan}.
     */
    public QueryResult sql(String sql) {
        checkOpen();
        long t0 = System.nanoTime();
        // the statements Kiln reads itself are told by their first words, after any comments a script put before them
        String head = dev.kiln.frontend.SqlText.fromFirstCode(sql);
        java.util.regex.Matcher explain = EXPLAIN.matcher(head);
        if (explain.matches()) {
            Explain e = explain.group(1) != null ? explainAnalyze(explain.group(2)) : explain(explain.group(2));
            return planText(e.render(), System.nanoTime() - t0);
        }
        if (streamStatements.handles(head)) {
            StreamStatements.Outcome o = streamStatements.run(head);
            return QueryResult.message(o.message(), System.nanoTime() - t0);
        }
        if (ModelStatements.handles(head)) {
            return QueryResult.message(ModelStatements.run(head, this, catalog), System.nanoTime() - t0);
        }
        if (SqlTables.handles(head)) {
            SqlTables.Outcome o = sqlTables.run(head, this, catalog);
            return QueryResult.update(o.message(), o.rows(), System.nanoTime() - t0);
        }
        sqlTables.flush(catalog, tableMemory);
        Optional<List<String>> analyze = Analyze.parse(head, catalog.tableNames());
        if (analyze.isPresent()) {
            StringBuilder msg = new StringBuilder("ANALYZE");
            for (String t : analyze.get()) msg.append(' ').append(t).append(" (").append(catalog.analyze(t, tableData(t)).rowCount()).append(" rows)");
            return QueryResult.message(msg.toString(), System.nanoTime() - t0);
        }
        Optional<Planned> cached = cachedPlan(sql, t0);
        if (cached.isPresent()) return run(cached.get());
        Statement st = new SqlFrontend(catalog).compile(sql);
        long parse = System.nanoTime() - t0;
        return switch (st) {
            case Statement.CreateView v -> QueryResult.message(ViewStatements.create(v, catalog), parse);
            case Statement.DropView d -> QueryResult.message(ViewStatements.drop(d, catalog), parse);
            case Statement.Query q -> run(remember(sql, plan(q, parse)));
        };
    }

    // ---- streams

    /**
     * Declares a stream: {@code kiln.readStream().source(src).eventTime("ts", delay).load("events")}.
     * Queries read it like a table, in SQL and the plan API, and run on it with
     * {@link Frame#writeStream()} or {@link #writeStream(String)}.
     */
    public dev.kiln.engine.stream.DataStreamReader readStream() {
        checkOpen();
        return new dev.kiln.engine.stream.DataStreamReader(d -> {
            checkOpen();
            catalog.put(d.name(), new Table(d.name(), d.source().schema(), List.of()));
            streams.put(d.name(), d);
        });
    }

    /** Removes a stream (a query still running on it keeps its source). */
    boolean dropStream(String name) {
        String k = name.toLowerCase(java.util.Locale.ROOT);
        if (streams.remove(k) == null) return false;
        catalog.remove(k);
        return true;
    }

    /** The streaming queries started in this session (by {@code writeStream().start()} or {@code INSERT INTO sink SELECT ...}); closing the session stops them. */
    public List<dev.kiln.engine.stream.StreamingQuery> streamingQueries() {
        return List.copyOf(started);
    }

    /** The rows a sink declared with {@code connector = 'memory'} holds now. */
    public dev.kiln.runtime.stream.MemorySink memorySink(String name) {
        return streamStatements.memorySink(name);
    }

    /** The names of the registered streams. */
    public List<String> streamNames() {
        return List.copyOf(streams.keySet());
    }

    /** A SQL query over streams, to start as a streaming query. */
    public dev.kiln.engine.stream.DataStreamWriter writeStream(String sql) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) throw new KilnException("writeStream() needs a query, not " + sql);
        return new dev.kiln.engine.stream.DataStreamWriter(streamEnvironment(), () -> incrementalize(q.plan(), q.columnNames()));
    }

    /** A plan-API query over streams, to start as a streaming query. */
    public dev.kiln.engine.stream.DataStreamWriter writeStream(HasRelation relation) {
        checkOpen();
        Relation r = relation.relation();
        if (!r.parameters().isEmpty()) throw new KilnException("the plan has parameters " + r.parameters().keySet() + " without values; bind them first");
        return new dev.kiln.engine.stream.DataStreamWriter(streamEnvironment(), () -> incrementalize(r.rel(), r.rel().schema().names()));
    }

    /** The streaming form of a query: optimized by the streaming-safe passes, then incrementalized. */
    private dev.kiln.ir.stream.IncrementalPlan incrementalize(Rel logical, List<String> names) {
        checkOpen();
        Rel optimized = Optimizer.streaming().withStatistics(catalog::stats).optimize(logical).plan();
        Map<String, dev.kiln.optimizer.stream.Incrementalize.StreamInfo> infos = new java.util.LinkedHashMap<>();
        for (var d : streams.values()) infos.put(d.name(), new dev.kiln.optimizer.stream.Incrementalize.StreamInfo(d.name(), d.source().schema(), d.eventTime()));
        return dev.kiln.optimizer.stream.Incrementalize.run(optimized, names, infos);
    }

    private dev.kiln.engine.stream.StreamEnvironment streamEnvironment() {
        return new dev.kiln.engine.stream.StreamEnvironment(new CompileOptions(config.backend(), false), t -> tableData(t.name()), workers,
                config.memoryBudget(), java.util.Collections.unmodifiableMap(streams), started::add);
    }

    /**
     * The plan of a query text run before, if the catalog has not changed since: parsing,
     * validation and optimization skipped (their time is the look-up's, counted as parse time).
     */
    private Optional<Planned> cachedPlan(String sql, long t0) {
        return plans.get(sql).map(c -> new Planned(c.query(), c.optimized(), System.nanoTime() - t0, 0, true, c.compiled()));
    }

    private Planned remember(String sql, Planned p) {
        plans.put(sql, new PlanCache.Entry(p.query(), p.optimized(), p.compiled()));
        return p;
    }

    /** {@code EXPLAIN [ANALYZE] query}: the explain output as rows of one column. */
    private static final java.util.regex.Pattern EXPLAIN = java.util.regex.Pattern.compile(
            "\\s*explain\\s+(analyze\\s+)?(?!plan\\b)(.+)", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

    private QueryResult planText(String text, long nanos) {
        QueryMemory mem = new QueryMemory(config.memoryBudget());
        dev.kiln.ir.type.Schema schema = new dev.kiln.ir.type.Schema(List.of(new dev.kiln.ir.type.Field("plan", dev.kiln.ir.type.DataType.VARCHAR, false)));
        List<String> lines = text.lines().toList();
        dev.kiln.runtime.vector.VectorBuilder b = new dev.kiln.runtime.vector.VectorBuilder(dev.kiln.ir.type.DataType.VARCHAR, mem, Math.max(1, lines.size()));
        for (String line : lines) b.appendObject(line);
        List<Batch> batches = List.of(new Batch(schema, List.of(b.build()), lines.size()));
        QueryResult result = new QueryResult(List.of("plan"), schema, batches, mem, openResults::remove,
                new QueryResult.Timings(nanos, 0, 0, 0, mem.peak(), 0, false), new dev.kiln.codegen.CompileStats(0, 0, 0));
        openResults.add(result);
        return result;
    }

    private QueryResult run(Planned p) {
        ScanReads scans = new ScanReads(catalog, config.threads());
        Rel bound = scans.bind(p.optimized().plan());
        QueryMemory mem = new QueryMemory(config.memoryBudget());
        List<Batch> out;
        CompiledQuery cq;
        long exec;
        boolean reused = false;
        try {
            // reading Parquet (only the columns and row groups the scans need) and decoding images counts as execution
            long t0 = System.nanoTime();
            Map<TableRef, Table> parquetData = scans.readAll(mem);
            long read = System.nanoTime() - t0;
            // a plan over in-memory tables only compiles to the same query every time: the cached plan keeps it
            cq = parquetData.isEmpty() ? p.compiled().get() : null;
            if (cq != null) {
                reused = true;
            } else {
                cq = compile(bound, false, parquetData);
                if (parquetData.isEmpty()) p.compiled().set(cq);
            }
            long t1 = System.nanoTime();
            out = cq.execute(mem, workers);
            exec = read + System.nanoTime() - t1;
        } catch (RuntimeException | Error e) {
            mem.close();
            throw e;
        }
        // a compiled query reused as a whole compiled nothing now: every class came from the cache
        dev.kiln.codegen.CompileStats stats = reused
                ? new dev.kiln.codegen.CompileStats(0, 0, cq.stats().classesCompiled() + cq.stats().cacheHits())
                : cq.stats();
        var timings = new QueryResult.Timings(p.parseNanos(), p.planNanos(), stats.compileNanos(), exec, mem.peak(), mem.spilledBytes(), p.fromCache());
        QueryResult result = p.query().structs().isEmpty()
                ? new QueryResult(p.query().columnNames(), cq.schema(), out, mem, openResults::remove, timings, stats)
                : nested(p.query(), cq.schema(), out, mem, timings, stats);
        openResults.add(result);
        return result;
    }

    /**
     * Runs a plan-API relation: through the optimizer and the compiled pipelines, as SQL runs.
     * A relation with parameters must be bound first ({@link Frame#prepare}).
     */
    public QueryResult collect(HasRelation relation) {
        return run(planRelation(relation.relation()));
    }

    private Planned planRelation(Relation r) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        Map<String, dev.kiln.ir.type.DataType> params = r.parameters();
        if (!params.isEmpty()) {
            throw new KilnException("the plan has parameters " + params.keySet() + " without values; run it with prepare().bind(name, value).collect()");
        }
        return planLogical(r.rel());
    }

    /** A logical plan (parameters bound) through the optimizer. */
    private Planned planLogical(Rel plan) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        try {
            dev.kiln.ir.rel.PlanValidator.validate(plan);
        } catch (dev.kiln.ir.rel.PlanValidationException e) {
            throw new KilnException("the plan built with the plan API is not valid (a Kiln bug, please report it): " + e.getMessage(), e);
        }
        return plan(new Statement.Query(plan, plan.schema().names()), 0);
    }

    QueryResult run(Rel boundPlan) {
        return run(planLogical(boundPlan));
    }

    /** A query's logical plan, as the frontend makes it (not optimized). */
    Rel logicalPlan(String sql) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) throw new KilnException("not a query: " + sql);
        return q.plan();
    }

    private Planned planQuery(String sql) {
        checkOpen();
        sqlTables.flush(catalog, tableMemory);
        long t0 = System.nanoTime();
        if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) {
            throw new KilnException("EXPLAIN needs a query, not a CREATE/DROP statement");
        }
        return plan(q, System.nanoTime() - t0);
    }

    /** The optimized plan of a query (tests compare its estimates with actual row counts). */
    Rel optimizedPlan(String sql) {
        return planQuery(sql).optimized().plan();
    }

    /** The statistics the optimizer sees (as the catalog holds them). */
    dev.kiln.optimizer.Statistics statistics() {
        return catalog::stats;
    }

    /** Is the statement a query (as opposed to CREATE/DROP VIEW or TABLE, INSERT, ANALYZE)? Parses and validates it. */
    public boolean isQuery(String sql) {
        checkOpen();
        if (EXPLAIN.matcher(sql).matches() || streamStatements.handles(sql) || ModelStatements.handles(sql) || SqlTables.handles(sql) || Analyze.parse(sql, catalog.tableNames()).isPresent()) return false;
        sqlTables.flush(catalog, tableMemory);
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

    /** The columns a query returns (names and types), from its plan, without compiling or running it. */
    public dev.kiln.ir.type.Schema resultSchema(String sql) {
        Planned p = planQuery(sql);
        return Statement.Query.nest(p.optimized().plan().schema(), p.query().columnNames(), p.query().structs());
    }

    /** The result of a query that selected STRUCTs whole: its columns' batches with each struct's fields as one column. */
    private QueryResult nested(Statement.Query q, dev.kiln.ir.type.Schema flat, List<dev.kiln.runtime.vector.Batch> out, QueryMemory mem,
                               QueryResult.Timings timings, dev.kiln.codegen.CompileStats stats) {
        dev.kiln.ir.type.Schema schema = Statement.Query.nest(flat, q.columnNames(), q.structs());
        return new QueryResult(schema.names(), schema, StructResults.nest(out, schema, q.structs()), mem, openResults::remove, timings, stats);
    }

    /**
     * The implementation of a {@code @KilnQueries} interface that kiln-annotation-processor
     * generated ({@code KilnQueries_<Name>} next to it), bound to this session: its tables are
     * checked against their records and every query is compiled now.
     */
    public <T> T bind(Class<T> queries) {
        checkOpen();
        if (!queries.isInterface()) throw new KilnException(queries.getName() + " is not an interface; bind() takes an interface annotated with @KilnQueries");
        String pkg = queries.getPackageName();
        String flat = queries.getName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1).replace('$', '_');
        String impl = (pkg.isEmpty() ? "" : pkg + ".") + "KilnQueries_" + flat;
        Class<?> c;
        try {
            c = Class.forName(impl, true, queries.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new KilnException("no generated implementation " + impl + " for " + queries.getName()
                    + ": annotate the interface with @KilnQueries and put kiln-annotation-processor on the annotation processor path of its compilation", e);
        }
        try {
            return queries.cast(c.getConstructor(Kiln.class).newInstance(this));
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new KilnException("binding " + queries.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KilnException(impl + " is not a Kiln-generated implementation (no public constructor taking a Kiln): " + e, e);
        }
    }

    /**
     * Empties the process-wide cache of generated classes (shared by all sessions), so the next
     * query compiles from scratch; the benchmark uses it to measure cold compile latency.
     */
    public static void clearClassCache() {
        QueryCompiler.cache().clear();
    }

    public Explain explain(String sql) {
        return explain(planQuery(sql));
    }

    /** EXPLAIN of a plan-API relation. */
    public Explain explain(HasRelation relation) {
        return explain(planRelation(relation.relation()));
    }

    private Explain explain(Planned p) {
        CompiledQuery cq = compileOnly(p.optimized().plan(), false);
        Estimator estimator = new Estimator(catalog::stats);
        String optimized = PlanPrinter.print(p.optimized().plan(), r -> "est=" + Estimator.format(estimator.rows(r)));
        return new Explain(PlanPrinter.print(p.query().plan()), p.optimized().traceSummary(), p.optimized().traceDetail(),
                optimized, cq.explainPhysical(), cq.stats().compileNanos(), config.verbose());
    }

    /**
     * EXPLAIN ANALYZE: runs the query with a row counter on every operator and returns the
     * explain output whose optimized plan shows, per operator, the estimated and the actual rows
     * ({@code -- est=1.2M actual=1148032}), followed by the execution's time, peak memory and spill.
     * Operators below a spilled join's probe in the same pipeline count their rows once per pass.
     */
    public Explain explainAnalyze(String sql) {
        Planned p = planQuery(sql);
        ScanReads scans = new ScanReads(catalog, config.threads());
        Rel bound = scans.bind(p.optimized().plan());
        CompiledQuery cq;
        CompiledQuery.Analyzed analyzed;
        long exec;
        long peak;
        long spilled;
        try (QueryMemory mem = new QueryMemory(config.memoryBudget())) {
            long t0 = System.nanoTime();
            Map<TableRef, Table> parquetData = scans.readAll(mem);
            cq = compile(bound, new CompileOptions(config.backend(), false).profiled(), parquetData);
            analyzed = cq.executeAnalyzed(mem, workers);
            exec = System.nanoTime() - t0;
            peak = mem.peak();
            spilled = mem.spilledBytes();
        }
        Estimator estimator = new Estimator(catalog::stats);
        // the plan as run: Parquet scans bound to this query's reads (the operators the counters belong to)
        String optimized = PlanPrinter.print(bound, r -> "est=" + Estimator.format(estimator.rows(r))
                + (analyzed.actualRows().containsKey(r) ? " actual=" + analyzed.actualRows().get(r) : ""));
        String physical = cq.explainPhysical(analyzed.stepNanos()) + String.format(java.util.Locale.ROOT,
                "Executed in %.1f ms on %d thread%s, peak memory %.1f MB%s%n", exec / 1e6, config.threads(), config.threads() == 1 ? "" : "s",
                peak / 1e6, spilled > 0 ? String.format(java.util.Locale.ROOT, ", spilled %.1f MB to disk", spilled / 1e6) : "");
        return new Explain(PlanPrinter.print(p.query().plan()), p.optimized().traceSummary(), p.optimized().traceDetail(),
                optimized, physical, cq.stats().compileNanos(), config.verbose());
    }

    /** The generated Java source of every pipeline of the query. */
    public String explainCodegen(String sql) {
        return explainCodegen(planQuery(sql));
    }

    /** The generated Java source of every pipeline of a plan-API relation. */
    public String explainCodegen(HasRelation relation) {
        return explainCodegen(planRelation(relation.relation()));
    }

    private String explainCodegen(Planned p) {
        StringBuilder sb = new StringBuilder(compileOnly(p.optimized().plan(), true).explainCodegen());
        ModelCodegen.append(p.optimized().plan(), sb, new java.util.HashSet<>());
        return sb.toString();
    }

    /** Plans and compiles a bound logical plan without running it; returns the compile statistics. */
    dev.kiln.codegen.CompileStats prepare(Rel boundPlan) {
        return compileOnly(planLogical(boundPlan).optimized().plan(), false).stats();
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
        for (var q : started) q.close();
        CachedModelRunners.release(workers);
        streamStatements.close();
        tableMemory.close();
        workers.close();
    }
}
