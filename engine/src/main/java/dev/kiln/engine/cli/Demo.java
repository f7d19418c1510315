package dev.kiln.engine.cli;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.engine.TpchQueries;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code kiln demo}: TPC-H at a small scale factor, a few queries explained, compiled and run. */
final class Demo {
    private static final int RUNS = 3;
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        double sf = scaleFactor(args);
        try (Kiln kiln = Kiln.open()) {
            long t0 = System.nanoTime();
            kiln.registerTpch(sf);
            out.printf(Locale.ROOT, "Registered TPC-H at scale factor %s (%d lineitem rows) in %.0f ms (generated once, then read from the disk cache).%n%n",
                    sf, kiln.tableData("lineitem").rowCount(), (System.nanoTime() - t0) / 1e6);
            List<String> timings = new java.util.ArrayList<>();
            for (int q : new int[] {1, 3, 6}) {
                String sql = TpchQueries.text(q);
                out.println("==================== TPC-H Q" + q + " ====================");
                out.println(sql);
                out.println();
                var explain = kiln.explain(sql);
                out.print(explain.render(false));
                out.printf(Locale.ROOT, "(generating and loading the pipeline classes took %.1f ms)%n%n", explain.compileNanos() / 1e6);
                // EXPLAIN left the pipeline classes in the class cache, so the runs compile nothing; the
                // first runs of a fresh JVM execute slower until the JIT has compiled the generated loops
                for (int run = 1; run <= RUNS; run++) {
                    try (QueryResult r = kiln.sql(sql)) {
                        if (run == RUNS) ResultFormatter.write(r, ResultFormatter.Format.TABLE, out);
                        timings.add("run " + run + ": " + Main.timingLine(r));
                    }
                }
                timings.forEach(out::println);
                timings.clear();
                out.println();
            }
            out.println("Try: ./kiln sql --tpch " + sf + "   (interactive shell), or --explain-codegen -e \"...\" to see generated code.");
        }
        return 0;
    }

    /** {@code kiln demo [--sf SF]}, 0.1 by default. */
    private static double scaleFactor(List<String> args) {
        if (args.isEmpty()) return 0.1;
        if (args.size() != 2 || !args.get(0).equals("--sf")) throw new UsageException("usage: kiln demo [--sf SCALE_FACTOR]");
        try {
            double sf = Double.parseDouble(args.get(1));
            if (sf > 0) return sf;
        } catch (NumberFormatException e) {
            // reported below with the usage
        }
        throw new UsageException("--sf needs a positive scale factor such as 0.1 or 1, not '" + args.get(1) + "'");
    }
}
