package dev.kiln.engine.cli;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.engine.KilnConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Options of {@code kiln sql}. */
record SqlOptions(Optional<Double> tpch, Map<String, Path> tables, List<String> statements, ResultFormatter.Format format,
                  boolean explain, boolean explainCodegen, long memory, Backend backend, List<String> disabledRules,
                  boolean verbose, boolean timing, int threads, boolean analyze, Map<String, Path> images) {

    static final List<String> OPTIONS = List.of("--tpch", "--table", "--images", "-e", "-f", "--format", "--explain", "--explain-analyze", "--explain-codegen",
            "--memory", "--backend", "--disable-rule", "--verbose", "--timing", "--threads");

    KilnConfig config() {
        return new KilnConfig(memory, backend, disabledRules, verbose, threads, KilnConfig.DEFAULT_PLAN_CACHE);
    }

    static SqlOptions parse(List<String> args) {
        Optional<Double> tpch = Optional.empty();
        Map<String, Path> tables = new LinkedHashMap<>();
        Map<String, Path> images = new LinkedHashMap<>();
        List<String> statements = new ArrayList<>();
        ResultFormatter.Format format = ResultFormatter.Format.TABLE;
        boolean explain = false, codegen = false, verbose = false, timing = false, analyze = false;
        long memory = KilnConfig.DEFAULT_MEMORY;
        Backend backend = Backend.ASM;
        List<String> disabled = new ArrayList<>();
        int threads = dev.kiln.codegen.Workers.defaultThreads();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--tpch" -> {
                    String v = value(args, ++i, a);
                    try {
                        double sf = Double.parseDouble(v);
                        if (!(sf > 0)) throw new NumberFormatException();
                        tpch = Optional.of(sf);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--tpch needs a positive scale factor such as 0.1 or 1, not '" + v + "'");
                    }
                }
                case "--table" -> {
                    String v = value(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0 || eq == v.length() - 1) throw new UsageException("--table needs name=path (a .csv or .parquet file, or a directory of .parquet files), not '" + v + "'");
                    tables.put(v.substring(0, eq), Path.of(v.substring(eq + 1)));
                }
                case "--images" -> {
                    String v = value(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0 || eq == v.length() - 1) throw new UsageException("--images needs name=directory (of PNG, JPEG, BMP or GIF files), not '" + v + "'");
                    images.put(v.substring(0, eq), Path.of(v.substring(eq + 1)));
                }
                case "-e" -> statements.addAll(StatementSplitter.split(value(args, ++i, a)));
                case "-f" -> {
                    Path f = Path.of(value(args, ++i, a));
                    try {
                        statements.addAll(StatementSplitter.split(java.nio.file.Files.readString(f)));
                    } catch (java.io.IOException e) {
                        throw new UsageException("cannot read " + f + ": " + e.getMessage());
                    }
                }
                case "--format" -> {
                    String v = value(args, ++i, a).toUpperCase(Locale.ROOT);
                    try {
                        format = ResultFormatter.Format.valueOf(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--format must be table, csv or json, not '" + v.toLowerCase(Locale.ROOT) + "'");
                    }
                }
                case "--explain" -> explain = true;
                case "--explain-analyze" -> {
                    explain = true;
                    analyze = true;
                }
                case "--explain-codegen" -> codegen = true;
                case "--memory" -> memory = size(value(args, ++i, a));
                case "--backend" -> {
                    String v = value(args, ++i, a).toUpperCase(Locale.ROOT);
                    try {
                        backend = Backend.valueOf(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--backend must be asm or janino, not '" + v.toLowerCase(Locale.ROOT) + "'");
                    }
                }
                case "--disable-rule" -> disabled.add(value(args, ++i, a));
                case "--verbose" -> verbose = true;
                case "--timing" -> timing = true;
                case "--threads" -> {
                    String v = value(args, ++i, a);
                    try {
                        threads = Integer.parseInt(v.strip());
                        if (threads < 1 || threads > 1024) throw new NumberFormatException();
                    } catch (NumberFormatException e) {
                        throw new UsageException("--threads needs a number of worker threads from 1 to 1024, not '" + v + "'");
                    }
                }
                default -> throw new UsageException("unknown option '" + a + "'" + suggestion(a) + "; run 'kiln help' for the list");
            }
        }
        return new SqlOptions(tpch, tables, statements, format, explain, codegen, memory, backend, disabled, verbose, timing, threads, analyze, images);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(i);
    }

    static long size(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("g")) mult = 1L << 30;
        else if (s.endsWith("m")) mult = 1L << 20;
        else if (s.endsWith("k")) mult = 1L << 10;
        if (mult > 1) s = s.substring(0, s.length() - 1);
        try {
            long n = (long) (Double.parseDouble(s) * mult);
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--memory needs a size such as 512m or 8g, not '" + v + "'");
        }
    }

    static String suggestion(String a) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String o : OPTIONS) {
            int d = distance(a, o);
            if (d < bestD) {
                bestD = d;
                best = o;
            }
        }
        return bestD <= 3 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }
}
