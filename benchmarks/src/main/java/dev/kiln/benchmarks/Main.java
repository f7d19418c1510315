package dev.kiln.benchmarks;

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

/**
 * {@code kiln bench tpch --sf 1 --queries 1,6 --vs duckdb [--threads 1] [--warmup 3] [--runs 10]}:
 * loads the same TPC-H data into Kiln and into DuckDB (JDBC, same JVM), checks that both return
 * the same rows, then times each query on both (warm-up first) and prints median/min/max, the
 * Kiln/DuckDB ratio of medians and their geometric mean, plus Kiln's compile latency (SQL text to
 * loaded classes) with a cold and a warm class cache. Writes a JSON report under
 * benchmarks/results/.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    record Options(double sf, List<Integer> queries, boolean duckdb, int threads, int warmup, int runs, Path out) {}

    static final String USAGE = "usage: kiln bench tpch [--sf 1] [--queries 1,6] [--vs duckdb] [--threads 1] [--warmup 3] [--runs 10] [--out benchmarks/results]";

    /** Exit code 0, or 2 for a usage error; a failed or mismatching query throws a KilnException. */
    public static int run(String[] args) {
        Options o;
        try {
            if (args.length == 0 || !args[0].equals("tpch")) throw new IllegalArgumentException("the only benchmark is 'tpch'");
            o = parse(Arrays.asList(args).subList(1, args.length));
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
    private static Options parse(List<String> a) {
        double sf = 1;
        List<Integer> queries = List.of(1, 6);
        boolean duck = false;
        int threads = 1, warmup = 3, runs = 10;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i);
            if (i + 1 >= a.size()) throw new IllegalArgumentException(option + " needs a value");
            String v = a.get(++i);
            switch (option) {
                case "--sf" -> sf = positive(option, Double.parseDouble(v));
                case "--queries" -> queries = Arrays.stream(v.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--vs" -> {
                    for (String p : v.split(",")) {
                        if (!p.equals("duckdb")) throw new IllegalArgumentException("unknown peer '" + p + "': this harness compares with duckdb");
                    }
                    duck = true;
                }
                case "--threads" -> threads = (int) positive(option, Integer.parseInt(v));
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--runs" -> runs = (int) positive(option, Integer.parseInt(v));
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        for (int q : queries) if (q < 1 || q > 22) throw new IllegalArgumentException("TPC-H has queries 1 to 22, not " + q);
        if (warmup < 0) throw new IllegalArgumentException("--warmup cannot be negative");
        return new Options(sf, queries, duck, threads, warmup, runs, out);
    }

    private static double positive(String option, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(option + " must be positive, not " + v);
        return v;
    }

    private static int tpch(Options o) throws IOException, java.sql.SQLException {
        System.out.printf(Locale.ROOT, "TPC-H sf %s, queries %s, %d warm-up + %d timed runs; Kiln and DuckDB both on %d thread(s)%n",
                o.sf(), o.queries(), o.warmup(), o.runs(), o.threads());
        try (Kiln kiln = Kiln.open(dev.kiln.engine.KilnConfig.defaults().withThreads(o.threads())); DuckDbPeer duck = o.duckdb() ? new DuckDbPeer(o.threads()) : null) {
            long t0 = System.nanoTime();
            kiln.registerTpch(o.sf());
            System.out.printf(Locale.ROOT, "Kiln: tables ready in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            if (duck != null) {
                t0 = System.nanoTime();
                Path dir = Files.createTempDirectory("kiln-bench");
                for (String t : kiln.tableNames()) duck.load(kiln.table(t), dir);
                Files.delete(dir);
                System.out.printf(Locale.ROOT, "DuckDB %s: same rows loaded in %.0f ms%n", duck.version(), (System.nanoTime() - t0) / 1e6);
            }
            List<String> json = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<String> compileLines = new ArrayList<>();
            System.out.printf(Locale.ROOT, "%nExecution (ms, median / min / max over %d runs)%n%-5s %28s %28s %12s%n", o.runs(),
                    "query", "Kiln", duck == null ? "" : "DuckDB", duck == null ? "" : "Kiln/DuckDB");
            for (int q : o.queries()) {
                String sql = TpchQueries.text(q);
                String duckSql = sql.replace("day (3)", "day");
                if (duck != null) verify(q, kiln, duck, sql, duckSql);
                Stats k = time(o, () -> {
                    try (QueryResult r = kiln.sql(sql)) {
                        return r.rowCount();
                    }
                });
                Stats d = duck == null ? null : time(o, () -> duck.query(duckSql).size());
                Stats cold = compileLatency(o, kiln, sql, true);
                Stats warm = compileLatency(o, kiln, sql, false);
                double ratio = d == null ? Double.NaN : k.median() / d.median();
                if (d != null) ratios.add(ratio);
                System.out.printf(Locale.ROOT, "Q%-4d %28s %28s %12s%n", q, fmt(k), d == null ? "" : fmt(d),
                        d == null ? "" : String.format(Locale.ROOT, "%.2fx", ratio));
                compileLines.add(String.format(Locale.ROOT, "Q%-4d %28s %28s", q, fmt(cold), fmt(warm)));
                json.add(String.format(Locale.ROOT, "{\"query\": %d, \"kiln\": %s, \"duckdb\": %s, \"ratio\": %s, \"compile_cold\": %s, \"compile_warm\": %s}",
                        q, k.json(), d == null ? "null" : d.json(), d == null ? "null" : String.format(Locale.ROOT, "%.4f", ratio), cold.json(), warm.json()));
            }
            if (!ratios.isEmpty()) {
                double g = Math.exp(ratios.stream().mapToDouble(Math::log).average().orElse(0));
                System.out.printf(Locale.ROOT, "geometric mean Kiln/DuckDB: %.2fx (below 1 means Kiln is faster)%n", g);
            }
            System.out.printf(Locale.ROOT, "%nKiln compile latency: SQL text to loaded classes (parse, optimize, generate, load), ms median / min / max%n"
                    + "%-5s %28s %28s%n", "query", "class cache cleared", "warm class cache");
            compileLines.forEach(System.out::println);
            Files.createDirectories(o.out());
            Path file = o.out().resolve("tpch-sf" + o.sf() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            Files.writeString(file, "{\"sf\": " + o.sf() + ", \"threads\": " + o.threads() + ", \"duckdb\": "
                    + (duck == null ? "null" : "\"" + duck.version() + "\"") + ", \"results\": [\n  " + String.join(",\n  ", json) + "\n]}\n");
            System.out.println("report: " + file);
        }
        return 0;
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

    private static void verify(int q, Kiln kiln, DuckDbPeer duck, String sql, String duckSql) throws java.sql.SQLException {
        List<Object[]> expected = duck.query(duckSql);
        List<Object[]> actual;
        try (QueryResult r = kiln.sql(sql)) {
            actual = r.rows();
        }
        if (expected.size() != actual.size()) throw new KilnException("Q" + q + ": Kiln returned " + actual.size() + " rows, DuckDB " + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int c = 0; c < expected.get(i).length; c++) {
                if (!same(expected.get(i)[c], actual.get(i)[c])) {
                    throw new KilnException("Q" + q + " row " + i + " column " + (c + 1) + ": Kiln " + actual.get(i)[c] + " vs DuckDB " + expected.get(i)[c]);
                }
            }
        }
    }

    private static boolean same(Object e, Object a) {
        if (e == null || a == null) return e == a;
        if (e instanceof Double || a instanceof Double) {
            double x = ((Number) e).doubleValue();
            double y = ((Number) a).doubleValue();
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (e instanceof Number && a instanceof Number) return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        return e.toString().equals(a.toString());
    }

    private static String fmt(Stats s) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", s.median(), s.min(), s.max());
    }
}
