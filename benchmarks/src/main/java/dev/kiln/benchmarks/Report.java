package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one {@code kiln bench tpch} run measured, and its renderings: the printed table and the
 * JSON report (the SVG chart is {@link SvgChart}). Pure data in, text out, so that tests can check
 * every figure and field.
 *
 * @param duckdb DuckDB's version, when it was timed
 * @param spark  Spark's version, when it was timed
 */
record Report(double sf, int threads, int warmup, int runs, Optional<String> duckdb, Optional<String> spark, List<QueryReport> queries) {

    /**
     * One query's figures.
     *
     * @param peakMemoryBytes the largest peak of Kiln's query memory over the timed runs
     * @param firstRunMs      Kiln's first run of the query (compile included), before any warm-up:
     *                        what a query costs before the JIT has compiled its classes
     * @param phases          where Kiln's warm compile time goes, from the timed runs
     */
    record QueryReport(int query, Stats kiln, Optional<Stats> duckdb, Optional<Stats> spark, Stats compileCold, Stats compileWarm,
                       long peakMemoryBytes, double firstRunMs, Phases phases, CacheCheck literalVariant) {
        Optional<Double> kilnOverDuckdb() {
            return duckdb.map(d -> kiln.median() / d.median());
        }

        Optional<Double> sparkOverKiln() {
            return spark.map(s -> s.median() / kiln.median());
        }
    }

    /** Medians over Kiln's timed runs (warm class cache) of SQL to IR, the optimizer, and pipelines to loaded classes, in ms. */
    record Phases(double parseMs, double optimizeMs, double codegenMs) {
        String describe() {
            return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", parseMs, optimizeMs, codegenMs);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"parse_ms\": %.3f, \"optimize_ms\": %.3f, \"codegen_ms\": %.3f}", parseMs, optimizeMs, codegenMs);
        }
    }

    /**
     * Preparing a text that differs from the query only in literals, right after preparing the
     * query itself with the class cache cleared.
     *
     * @param originalCompiled classes the query itself compiled (into the empty cache)
     * @param compiled         classes the variant compiled (0 when everything came from the cache)
     * @param cacheHits        classes the variant found in the cache
     */
    record CacheCheck(String change, int originalCompiled, int compiled, int cacheHits) {
        boolean hit() {
            return compiled == 0 && cacheHits > 0;
        }

        String describe() {
            return String.format(Locale.ROOT, "%d compiled, %d from cache (%s)", compiled, cacheHits, hit() ? "hit" : "MISS");
        }
    }

    Optional<Double> geomeanKilnOverDuckdb() {
        return geomean(QueryReport::kilnOverDuckdb);
    }

    Optional<Double> geomeanSparkOverKiln() {
        return geomean(QueryReport::sparkOverKiln);
    }

    private Optional<Double> geomean(Function<QueryReport, Optional<Double>> ratio) {
        List<Double> rs = queries.stream().map(ratio).flatMap(Optional::stream).toList();
        if (rs.isEmpty()) return Optional.empty();
        return Optional.of(Math.exp(rs.stream().mapToDouble(Math::log).average().orElseThrow()));
    }

    int cacheHits() {
        return (int) queries.stream().filter(q -> q.literalVariant().hit()).count();
    }

    /** The printed report: execution table, geometric means, compile latency and the literal-variant check. */
    String table() {
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>(List.of("query", "Kiln"));
        duckdb.ifPresent(v -> head.add("DuckDB"));
        spark.ifPresent(v -> head.add("Spark"));
        duckdb.ifPresent(v -> head.add("Kiln/DuckDB"));
        spark.ifPresent(v -> head.add("Spark/Kiln"));
        head.add("compile");
        head.add("first run");
        head.add("peak MB");
        sb.append(String.format(Locale.ROOT, "Execution, ms median / min / max over %d runs after %d warm-up; compile = Kiln's SQL text to loaded classes, warm class cache, median ms; "
                + "first run = Kiln's first run of the query, compile included, before warm-up; peak MB = Kiln's peak query memory%n", runs, warmup));
        List<List<String>> rows = new ArrayList<>();
        for (QueryReport q : queries) {
            List<String> r = new ArrayList<>(List.of("Q" + q.query(), fmt(q.kiln())));
            q.duckdb().ifPresent(d -> r.add(fmt(d)));
            q.spark().ifPresent(s -> r.add(fmt(s)));
            q.kilnOverDuckdb().ifPresent(x -> r.add(ratio(x)));
            q.sparkOverKiln().ifPresent(x -> r.add(ratio(x)));
            r.add(String.format(Locale.ROOT, "%.1f", q.compileWarm().median()));
            r.add(String.format(Locale.ROOT, "%.1f", q.firstRunMs()));
            r.add(String.format(Locale.ROOT, "%.1f", q.peakMemoryBytes() / 1e6));
            rows.add(r);
        }
        columns(sb, head, rows);
        geomeanKilnOverDuckdb().ifPresent(g -> sb.append(String.format(Locale.ROOT, "geometric mean Kiln/DuckDB: %.2fx (below 1 means Kiln is faster)%n", g)));
        geomeanSparkOverKiln().ifPresent(g -> sb.append(String.format(Locale.ROOT, "geometric mean Spark/Kiln: %.2fx (above 1 means Kiln is faster)%n", g)));
        sb.append(String.format(Locale.ROOT, "%nKiln compile latency (parse, optimize, generate, load), ms median / min / max; literal variant = the query with one literal "
                + "changed, prepared right after the query into a cleared class cache; parse / optimize / codegen = medians of the warm phases in the timed runs%n"));
        List<List<String>> compile = new ArrayList<>();
        for (QueryReport q : queries) {
            compile.add(List.of("Q" + q.query(), fmt(q.compileCold()), fmt(q.compileWarm()), q.phases().describe(), q.literalVariant().change(),
                    q.literalVariant().originalCompiled() + " compiled", q.literalVariant().describe()));
        }
        columns(sb, List.of("query", "class cache cleared", "warm class cache", "parse / optimize / codegen", "literal variant", "query", "variant"), compile);
        sb.append(String.format(Locale.ROOT, "literal variants served from the class cache: %d of %d%n", cacheHits(), queries.size()));
        return sb.toString();
    }

    /** Left-aligned first column, the others right-aligned, each as wide as its widest cell. */
    private static void columns(StringBuilder sb, List<String> head, List<List<String>> rows) {
        int[] w = new int[head.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = head.get(c).length();
            for (List<String> r : rows) w[c] = Math.max(w[c], r.get(c).length());
        }
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < w.length; c++) {
                if (c > 0) line.append("  ");
                String cell = r.get(c);
                String pad = " ".repeat(w[c] - cell.length());
                line.append(c == 0 ? cell + pad : pad + cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String fmt(Stats s) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", s.median(), s.min(), s.max());
    }

    private static String ratio(double x) {
        return String.format(Locale.ROOT, "%.2fx", x);
    }

    /** The JSON report: settings, peers' versions, geometric means and every query's figures. */
    String json() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"sf\": %s, \"threads\": %d, \"warmup\": %d, \"runs\": %d, \"duckdb\": %s, \"spark\": %s,%n", sf, threads, warmup, runs,
                duckdb.map(Report::str).orElse("null"), spark.map(Report::str).orElse("null")));
        sb.append(String.format(Locale.ROOT, " \"geomean_kiln_over_duckdb\": %s, \"geomean_spark_over_kiln\": %s, \"literal_variant_cache_hits\": %d,%n",
                num(geomeanKilnOverDuckdb()), num(geomeanSparkOverKiln()), cacheHits()));
        sb.append(" \"results\": [");
        for (int i = 0; i < queries.size(); i++) {
            QueryReport q = queries.get(i);
            CacheCheck c = q.literalVariant();
            sb.append(i == 0 ? "\n  " : ",\n  ");
            sb.append(String.format(Locale.ROOT, "{\"query\": %d, \"kiln\": %s, \"duckdb\": %s, \"spark\": %s, \"kiln_over_duckdb\": %s, \"spark_over_kiln\": %s, "
                            + "\"compile_cold\": %s, \"compile_warm\": %s, \"peak_memory_bytes\": %d, \"kiln_first_run_ms\": %.3f, \"kiln_phases\": %s, \"literal_variant\": {\"change\": %s, \"query_classes_compiled\": %d, "
                            + "\"classes_compiled\": %d, \"cache_hits\": %d, \"cache_hit\": %s}}",
                    q.query(), q.kiln().json(), q.duckdb().map(Stats::json).orElse("null"), q.spark().map(Stats::json).orElse("null"), num(q.kilnOverDuckdb()),
                    num(q.sparkOverKiln()), q.compileCold().json(), q.compileWarm().json(), q.peakMemoryBytes(), q.firstRunMs(), q.phases().json(), str(c.change()), c.originalCompiled(),
                    c.compiled(), c.cacheHits(), c.hit()));
        }
        sb.append("\n]}\n");
        return sb.toString();
    }

    private static String num(Optional<Double> x) {
        return x.map(v -> String.format(Locale.ROOT, "%.4f", v)).orElse("null");
    }

    /** A JSON string literal. */
    static String str(String s) {
        return dev.kiln.engine.Json.string(s);
    }
}
