package dev.kiln.benchmarks;

import dev.kiln.codegen.CompileStats;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.engine.TpchQueries;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kiln bench tpch --sf 1 [--queries 1,6] --vs duckdb,spark [--threads 1] [--warmup 3] [--runs 10]}:
 * loads the same TPC-H data into Kiln, DuckDB (JDBC, same JVM) and Spark SQL (a child JVM reading
 * Parquet files that DuckDB writes from those rows, cached in memory), checks that every system
 * returns DuckDB's rows, then times each query on each (warm-up first) and prints median/min/max,
 * the Kiln/DuckDB and Spark/Kiln ratios of medians and their geometric means, Kiln's compile
 * latency (cold and warm class cache), its peak query memory, and whether a variant of the query
 * that differs only in literals is served from the class cache. Writes a JSON report and an SVG
 * chart under benchmarks/results/.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    record Options(double sf, List<Integer> queries, boolean duckdb, boolean spark, int threads, int warmup, int runs, Path out, String sparkHeap,
                   boolean planCache) {}

    static final List<String> PEERS = List.of("duckdb", "spark");
    static final List<Integer> ALL_QUERIES = java.util.stream.IntStream.rangeClosed(1, 22).boxed().toList();

    static final String USAGE = "usage: kiln bench tpch [--sf 1] [--queries 1,6 (default: all 22)] [--vs duckdb,spark] [--threads 1] [--warmup 3] [--runs 10] "
            + "[--out benchmarks/results] [--spark-heap 6g] [--plan-cache on|off]\n"
            + "       kiln bench jmh [regex...] [JMH options]   (the JMH kernels and Q6's memory-bandwidth bound)\n"
            + "       " + YsbBench.USAGE.substring("usage: ".length()) + "\n"
            + "       " + dev.kiln.benchmarks.dl.DlOptions.USAGE.substring("usage: ".length());

    /** Exit code 0, or 2 for a usage error; a failed or mismatching query throws a KilnException. */
    public static int run(String[] args) {
        if (args.length > 0 && args[0].equals("jmh")) return JmhMain.run(Arrays.copyOfRange(args, 1, args.length));
        if (args.length > 0 && args[0].equals("ysb")) return YsbBench.run(Arrays.asList(args).subList(1, args.length));
        if (args.length > 0 && args[0].equals("dl")) return dev.kiln.benchmarks.dl.DlBench.run(Arrays.asList(args).subList(1, args.length));
        Options o;
        try {
            o = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln bench: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        try {
            return tpch(o);
        } catch (IOException | java.sql.SQLException e) {
            throw new KilnException("benchmark failed: " + e.getMessage(), e);
        }
    }

    /** Bad arguments are IllegalArgumentExceptions (a NumberFormatException is one), reported with the usage. */
    static Options parseArgs(String[] args) {
        if (args.length == 0 || !args[0].equals("tpch")) throw new IllegalArgumentException("the benchmarks are 'tpch', 'ysb', 'dl' and 'jmh'");
        return parse(Arrays.asList(args).subList(1, args.length));
    }

    private static Options parse(List<String> a) {
        double sf = 1;
        List<Integer> queries = ALL_QUERIES;
        boolean duck = false, spark = false;
        int threads = 1, warmup = 3, runs = 10;
        Path out = Path.of("benchmarks", "results");
        String sparkHeap = "6g";
        boolean planCache = true;
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i);
            if (i + 1 >= a.size()) throw new IllegalArgumentException(option + " needs a value");
            String v = a.get(++i);
            switch (option) {
                case "--sf" -> sf = positive(option, Double.parseDouble(v));
                case "--queries" -> queries = v.equals("all") ? ALL_QUERIES
                        : Arrays.stream(v.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--vs" -> {
                    for (String p : v.split(",")) {
                        switch (p.strip()) {
                            case "duckdb" -> duck = true;
                            case "spark" -> spark = true;
                            default -> throw new IllegalArgumentException("unknown peer '" + p.strip() + "': this harness compares with " + String.join(" and ", PEERS)
                                    + " (e.g. --vs duckdb,spark)");
                        }
                    }
                }
                case "--threads" -> threads = (int) positive(option, Integer.parseInt(v));
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--runs" -> runs = (int) positive(option, Integer.parseInt(v));
                case "--out" -> out = Path.of(v);
                case "--spark-heap" -> {
                    if (!v.matches("[1-9][0-9]*[mMgG]")) throw new IllegalArgumentException("--spark-heap is a JVM heap size such as 6g or 4096m, not " + v);
                    sparkHeap = v;
                }
                case "--plan-cache" -> planCache = switch (v) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--plan-cache is on or off, not " + v);
                };
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        for (int q : queries) if (q < 1 || q > 22) throw new IllegalArgumentException("TPC-H has queries 1 to 22, not " + q);
        if (warmup < 0) throw new IllegalArgumentException("--warmup cannot be negative");
        return new Options(sf, queries, duck, spark, threads, warmup, runs, out, sparkHeap, planCache);
    }

    private static double positive(String option, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(option + " must be positive, not " + v);
        return v;
    }

    private static int tpch(Options o) throws IOException, java.sql.SQLException {
        List<String> systems = new ArrayList<>(List.of("Kiln"));
        if (o.duckdb()) systems.add("DuckDB");
        if (o.spark()) systems.add("Spark");
        System.out.printf(Locale.ROOT, "TPC-H sf %s, queries %s, %d warm-up + %d timed runs; %s all on %d thread(s)%n",
                o.sf(), o.queries(), o.warmup(), o.runs(), String.join(", ", systems), o.threads());
        System.out.println(o.planCache()
                ? "Kiln's plan cache is on: a query text run again skips parsing and optimization (the compile columns measure the full path, without it)"
                : "Kiln's plan cache is off: every run parses, validates and optimizes its text");
        // DuckDB is loaded whenever there is a peer: it is the oracle, and it writes Spark's Parquet files
        boolean loadDuck = o.duckdb() || o.spark();
        Path parquet = null;
        SparkPeer spark = null;
        try (Kiln kiln = Kiln.open(dev.kiln.engine.KilnConfig.defaults().withThreads(o.threads()).withPlanCache(o.planCache() ? dev.kiln.engine.KilnConfig.DEFAULT_PLAN_CACHE : 0)); DuckDbPeer duck = loadDuck ? new DuckDbPeer(o.threads()) : null) {
            long t0 = System.nanoTime();
            kiln.registerTpch(o.sf());
            System.out.printf(Locale.ROOT, "Kiln: tables ready in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            if (duck != null) {
                t0 = System.nanoTime();
                Path dir = Files.createTempDirectory("kiln-bench");
                for (String t : kiln.tableNames()) duck.load(kiln.tableData(t), dir);
                Files.delete(dir);
                System.out.printf(Locale.ROOT, "DuckDB %s: same rows loaded in %.0f ms%n", duck.version(), (System.nanoTime() - t0) / 1e6);
            }
            if (o.spark()) {
                t0 = System.nanoTime();
                parquet = Files.createTempDirectory("kiln-bench-parquet");
                for (String t : kiln.tableNames()) duck.exportParquet(t, parquet.resolve(t + ".parquet"));
                double written = (System.nanoTime() - t0) / 1e6;
                spark = SparkPeer.start(Path.of(System.getProperty("kiln.bench.sparkPeer", "benchmarks/spark-peer")), parquet, o.threads(), o.sparkHeap());
                System.out.printf(Locale.ROOT, "Spark %s: same rows written as Parquet by DuckDB in %.0f ms, read and cached (CACHE TABLE) in %.0f ms%n",
                        spark.version(), written, spark.loadMillis());
            }
            List<Report.QueryReport> reports = new ArrayList<>();
            Quiet quiet = new Quiet(spark == null ? Optional.empty() : Optional.of(spark.handle()));
            for (int q : o.queries()) {
                reports.add(query(o, q, kiln, duck, spark, quiet));
                System.out.printf(Locale.ROOT, "Q%d done%n", q);
            }
            Report report = new Report(o.sf(), o.threads(), o.warmup(), o.runs(), o.duckdb() ? Optional.of(duck.version()) : Optional.empty(),
                    spark == null ? Optional.empty() : Optional.of(spark.version()), reports);
            System.out.println();
            System.out.print(report.table());
            System.out.println(quiet.describe());
            // Q6 against what memory bandwidth allows: its bytes scanned over one core's stream bandwidth (JMH, measured now)
            for (Report.QueryReport r : reports) {
                if (r.query() == 6) System.out.println(BandwidthBound.q6(kiln.tableData("lineitem")).describe("Q6", r.kiln().median()) + " (Kiln on " + o.threads() + " thread(s))");
            }
            Files.createDirectories(o.out());
            String base = "tpch-sf" + o.sf() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path json = o.out().resolve(base + ".json");
            Path svg = o.out().resolve(base + ".svg");
            Files.writeString(json, report.json());
            Files.writeString(svg, SvgChart.render(report));
            System.out.println("report: " + json);
            System.out.println("chart: " + svg);
        } finally {
            if (spark != null) spark.close();
            if (parquet != null) deleteTree(parquet);
        }
        return 0;
    }

    /** Verifies, times and compiles one query on every system. */
    private static Report.QueryReport query(Options o, int q, Kiln kiln, DuckDbPeer duck, SparkPeer spark, Quiet quiet) throws IOException, java.sql.SQLException {
        String sql = TpchQueries.text(q);
        String duckSql = duckDialect(sql);
        List<Object[]> expected = duck == null ? null : duck.query(duckSql);
        // Kiln's first run of the query: SQL to classes, then execution by code the JIT has not seen yet
        long first = System.nanoTime();
        List<Object[]> firstRows = kilnRows(kiln, sql);
        double firstRunMs = (System.nanoTime() - first) / 1e6;
        if (duck != null) verify("Q" + q, "Kiln", expected, firstRows, Main::same);
        Optional<Stats> sparkStats = Optional.empty();
        if (spark != null) {
            quiet.await();
            SparkPeer.Run run = spark.run(SparkDialect.rewrite(sql), o.warmup(), o.runs());
            verify("Q" + q, "Spark", expected, run.rows(), Main::sameForSpark);
            sparkStats = Optional.of(run.stats());
        }
        List<QueryResult.Timings> timings = new ArrayList<>();
        quiet.await();
        Stats k = time(o, () -> {
            try (QueryResult r = kiln.sql(sql)) {
                timings.add(r.timings());
                return r.rowCount();
            }
        });
        // the last `runs` entries are the timed runs (the warm-up ones come first)
        List<QueryResult.Timings> timed = timings.subList(timings.size() - o.runs(), timings.size());
        Report.Phases phases = new Report.Phases(median(timed, QueryResult.Timings::parseMillis), median(timed, QueryResult.Timings::planMillis),
                median(timed, QueryResult.Timings::compileMillis));
        long peak = timed.stream().mapToLong(QueryResult.Timings::peakMemoryBytes).max().orElseThrow();
        Optional<Stats> d = Optional.empty();
        if (o.duckdb()) {
            quiet.await();
            d = Optional.of(time(o, () -> duck.query(duckSql).size()));
        }
        quiet.await();
        Stats cold = compileLatency(o, kiln, sql, true);
        Stats warm = compileLatency(o, kiln, sql, false);
        return new Report.QueryReport(q, k, d, sparkStats, cold, warm, peak, firstRunMs, phases, literalVariant(q, kiln, duck));
    }

    /**
     * Prepares the query into a cleared class cache, then the same query with one literal changed:
     * the variant should compile nothing. With DuckDB loaded, the variant's rows are checked too, so
     * a cached class that kept an old literal would fail here.
     */
    private static Report.CacheCheck literalVariant(int q, Kiln kiln, DuckDbPeer duck) throws java.sql.SQLException {
        String variant = LiteralVariants.text(q);
        Kiln.clearClassCache();
        CompileStats original = kiln.prepare(TpchQueries.text(q));
        CompileStats v = kiln.prepare(variant);
        if (duck != null) verify("Q" + q + " with " + LiteralVariants.change(q).describe(), "Kiln", duck.query(duckDialect(variant)), kilnRows(kiln, variant), Main::same);
        return new Report.CacheCheck(LiteralVariants.change(q).describe(), original.classesCompiled(), v.classesCompiled(), v.cacheHits());
    }

    private static double median(List<QueryResult.Timings> ts, java.util.function.ToDoubleFunction<QueryResult.Timings> f) {
        return Stats.of(ts.stream().map(t -> f.applyAsDouble(t)).toList()).median();
    }

    static String duckDialect(String sql) {
        return sql.replace("day (3)", "day");
    }

    private static List<Object[]> kilnRows(Kiln kiln, String sql) {
        try (QueryResult r = kiln.sql(sql)) {
            return r.rows();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    interface Body {
        Object run() throws Exception;
    }

    private static Stats time(Options o, Body body) {
        try {
            for (int i = 0; i < o.warmup(); i++) body.run();
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < o.runs(); i++) {
                long t = System.nanoTime();
                body.run();
                ms.add((System.nanoTime() - t) / 1e6);
            }
            return Stats.of(ms);
        } catch (Exception e) {
            throw new KilnException("benchmark run failed: " + e.getMessage(), e);
        }
    }

    /** SQL text → loaded classes: parse, validate, optimize, generate and load (cold) or find in the class cache (warm). */
    private static Stats compileLatency(Options o, Kiln kiln, String sql, boolean cold) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < o.warmup() + o.runs(); i++) {
            if (cold) Kiln.clearClassCache();
            long t = System.nanoTime();
            kiln.prepare(sql);
            if (i >= o.warmup()) ms.add((System.nanoTime() - t) / 1e6);
        }
        return Stats.of(ms);
    }

    interface Same {
        boolean test(Object expected, Object actual);
    }

    /** Row by row, value by value, in order; a difference is a KilnException naming the query, row and column. */
    static void verify(String what, String system, List<Object[]> expected, List<Object[]> actual, Same same) {
        if (expected.size() != actual.size()) throw new KilnException(what + ": " + system + " returned " + actual.size() + " rows, DuckDB " + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).length != actual.get(i).length) {
                throw new KilnException(what + " row " + i + ": " + system + " returned " + actual.get(i).length + " columns, DuckDB " + expected.get(i).length);
            }
            for (int c = 0; c < expected.get(i).length; c++) {
                if (!same.test(expected.get(i)[c], actual.get(i)[c])) {
                    throw new KilnException(what + " row " + i + " column " + (c + 1) + ": " + system + " " + actual.get(i)[c] + " vs DuckDB " + expected.get(i)[c]);
                }
            }
        }
    }

    /** Kiln vs DuckDB: decimals and integers exactly, doubles to 1e-9 relative. */
    static boolean same(Object e, Object a) {
        if (e == null || a == null) return e == a;
        if (e instanceof Double || a instanceof Double) {
            double x = ((Number) e).doubleValue();
            double y = ((Number) a).doubleValue();
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (e instanceof Number && a instanceof Number) return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        return e.toString().equals(a.toString());
    }

    /**
     * Spark vs DuckDB. Spark types its results otherwise (AVG of a DECIMAL(15,2) is a DECIMAL(19,6)
     * where DuckDB answers a DOUBLE; divisions round to scale 6), so a decimal equals a value when
     * they differ by at most one unit in the decimal's last place (the coarser of two decimals);
     * everything else is compared as for Kiln.
     */
    static boolean sameForSpark(Object e, Object a) {
        if (e instanceof Number && a instanceof Number && (e instanceof BigDecimal || a instanceof BigDecimal)) {
            BigDecimal x = new BigDecimal(e.toString()), y = new BigDecimal(a.toString());
            if (x.compareTo(y) == 0) return true;
            int scale = Math.min(e instanceof BigDecimal be ? be.scale() : Integer.MAX_VALUE, a instanceof BigDecimal ba ? ba.scale() : Integer.MAX_VALUE);
            return x.subtract(y).abs().compareTo(BigDecimal.ONE.scaleByPowerOfTen(-scale)) <= 0;
        }
        return same(e, a);
    }
}
