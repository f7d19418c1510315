package dev.kiln.engine.cli;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code kiln} command line: {@code sql}, {@code demo}, {@code bench}, {@code help}.
 * Exit codes: 0 success, 1 query error, 2 usage error. Errors print a message only, unless
 * {@code --verbose} asks for the stack trace.
 */
public final class Main {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Main(PrintStream out, PrintStream err) {
        this(System.in, out, err);
    }

    /** @param in where {@code kiln sql} without -e/-f reads statements when it is not attached to a terminal */
    public Main(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    public int run(String[] args) {
        List<String> a = Arrays.asList(args);
        boolean verbose = a.contains("--verbose");
        try {
            if (a.isEmpty()) {
                help();
                return 2;
            }
            return switch (a.getFirst()) {
                case "sql" -> sql(SqlOptions.parse(a.subList(1, a.size())));
                case "demo" -> new Demo(out).run(a.subList(1, a.size()));
                case "bench" -> bench(a.subList(1, a.size()));
                case "stream" -> {
                    try {
                        yield new StreamCommand(this, out, err).run(a.subList(1, a.size()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        yield 1;
                    }
                }
                case "help", "--help", "-h" -> {
                    help();
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + a.getFirst() + "': use sql, stream, demo, bench or help");
            };
        } catch (UsageException e) {
            err.println("kiln: " + e.getMessage());
            return 2;
        } catch (KilnException e) {
            err.println("Error: " + e.getMessage());
            if (verbose) e.printStackTrace(err);
            return 1;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            err.println("Internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) e.printStackTrace(err);
            return 1;
        }
    }

    private int sql(SqlOptions o) {
        try (Kiln kiln = Kiln.open(o.config())) {
            o.tpch().ifPresent(sf -> {
                long t0 = System.nanoTime();
                kiln.registerTpch(sf);
                if (o.timing()) err.printf(java.util.Locale.ROOT, "TPC-H sf %s loaded in %.0f ms%n", sf, (System.nanoTime() - t0) / 1e6);
            });
            for (Map.Entry<String, Path> t : o.tables().entrySet()) {
                if (isParquet(t.getValue())) kiln.registerParquet(t.getKey(), t.getValue());
                else kiln.registerCsv(t.getKey(), t.getValue());
            }
            for (Map.Entry<String, Path> t : o.images().entrySet()) kiln.registerImages(t.getKey(), t.getValue());
            List<String> statements = o.statements();
            if (statements.isEmpty()) {
                if (interactive()) return new Shell(kiln, o, out, err).run();
                // statements piped in (./kiln sql < q.sql) run as a script, like -f, without prompts
                statements = StatementSplitter.split(readAll(in));
            }
            for (String stmt : statements) execute(kiln, stmt, o);
            return 0;
        }
    }

    private boolean interactive() {
        java.io.Console console = System.console();
        return in == System.in && console != null && console.isTerminal();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read statements from standard input: " + e.getMessage());
        }
    }

    /** Runs one statement with the options' output mode; DDL runs even under --explain, so a script's views can be explained. */
    void execute(Kiln kiln, String stmt, SqlOptions o) {
        if ((o.explain() || o.explainCodegen()) && kiln.isQuery(stmt)) {
            if (o.explain()) out.print(o.analyze() ? kiln.explainAnalyze(stmt).render() : kiln.explain(stmt).render());
            if (o.explainCodegen()) out.print(kiln.explainCodegen(stmt));
            return;
        }
        try (QueryResult r = kiln.sql(stmt)) {
            if (r.message().isPresent()) {
                // CSV and JSON output stays machine-readable: what DDL did goes to stderr there
                (o.format() == ResultFormatter.Format.TABLE ? out : err).println(r.message().get());
                return;
            }
            ResultFormatter.write(r, o.format(), out);
            if (o.timing()) err.println(timingLine(r));
        }
    }

    static String timingLine(QueryResult r) {
        var t = r.timings();
        return String.format(java.util.Locale.ROOT,
                "parse %.1f ms, optimize %.1f ms%s, compile %.1f ms (%d classes compiled, %d from cache), execute %.1f ms, peak memory %.1f MB",
                t.parseMillis(), t.planMillis(), t.planCached() ? " (plan cache hit)" : "", t.compileMillis(), r.compileStats().classesCompiled(), r.compileStats().cacheHits(),
                t.executeMillis(), t.peakMemoryBytes() / 1e6)
                + (t.spilledBytes() > 0 ? String.format(java.util.Locale.ROOT, ", spilled %.1f MB to disk", t.spilledBytes() / 1e6) : "");
    }

    private int bench(List<String> args) {
        try {
            Class<?> c = Class.forName("dev.kiln.benchmarks.Main");
            Object code = c.getMethod("run", String[].class).invoke(null, (Object) args.toArray(new String[0]));
            return (Integer) code;
        } catch (ClassNotFoundException e) {
            throw new UsageException("the benchmarks module is not on the class path: run it through ./kiln bench");
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new KilnException("benchmark failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KilnException("cannot start the benchmark harness: " + e, e);
        }
    }

    private void help() {
        out.print("""
                Kiln — a code-generating query compiler.

                Usage:
                  kiln demo                         generate TPC-H (sf 0.1) and run a few explained queries
                  kiln sql [options]                run SQL; without -e/-f, an interactive shell
                                                    (or the statements piped to standard input)
                  kiln stream -f script.sql [--for 30s] [--progress 1s]
                                                    run CREATE STREAM / CREATE SINK / INSERT INTO sink SELECT ...
                                                    and show each streaming query's progress until it ends
                                                    (--explain: print the incremental plans instead)
                  kiln bench tpch --sf 1 --vs duckdb,spark   the 22 queries vs DuckDB and Spark SQL
                                                    (--queries 1,6 --threads 2 --warmup 3 --runs 10)
                  kiln bench jmh [regex] [JMH options]       JMH kernels and Q6's memory-bandwidth bound
                  kiln bench ysb [--events N] [--vs spark]   the Yahoo Streaming Benchmark
                  kiln test                         (launcher) run the whole test suite

                Options of kiln sql:
                  --tpch SF                 register the 8 TPC-H tables at scale factor SF (cached on disk)
                  --table name=PATH         register a table (repeatable): a CSV file, a .parquet file,
                                            or a directory of .parquet files read as one table
                  --images name=DIR         register a directory of images as a table (repeatable):
                                            origin, image (a struct: origin, height, width,
                                            nChannels, mode, data), error
                  -e "SQL"                  run these statements (separated by ;)
                  -f file.sql               run the statements in a file
                  --format table|csv|json   output format (default table)
                  --explain                 show the logical plan, rule trace, optimized plan and pipelines
                  --explain-analyze         run the query and show --explain with actual rows per operator
                  --explain-codegen         show the generated Java source of every pipeline
                  --memory SIZE             per-query memory budget, e.g. 2g (default 4g)
                  --threads N               worker threads per query (default: one per core)
                  --backend asm|janino      bytecode backend (default asm)
                  --disable-rule NAME       switch an optimizer pass or rule off (repeatable)
                  --timing                  print plan/compile/execute times on stderr
                  --verbose                 stack traces on errors, detailed rule trace in --explain
                """);
    }

    /** A {@code .parquet} file or a directory (of Parquet files); anything else is read as CSV. */
    static boolean isParquet(Path p) {
        return java.nio.file.Files.isDirectory(p) || p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }
}
