package dev.kiln.engine.cli;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.engine.TpchQueries;
import java.io.PrintStream;
import java.util.List;

/** {@code kiln demo}: TPC-H at a small scale factor, a few queries explained, compiled and run. */
final class Demo {
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        double sf = args.size() >= 2 && args.get(0).equals("--sf") ? Double.parseDouble(args.get(1)) : 0.1;
        try (Kiln kiln = Kiln.open()) {
            long t0 = System.nanoTime();
            kiln.registerTpch(sf);
            out.printf("Registered TPC-H at scale factor %s (%d lineitem rows) in %.0f ms (generated once, then read from the disk cache).%n%n",
                    sf, kiln.table("lineitem").rowCount(), (System.nanoTime() - t0) / 1e6);
            for (int q : new int[] {1, 3, 6}) {
                String sql = TpchQueries.text(q);
                out.println("==================== TPC-H Q" + q + " ====================");
                out.println(sql);
                out.println();
                out.print(kiln.explain(sql).render(false));
                out.println();
                for (int run = 1; run <= 2; run++) {
                    try (QueryResult r = kiln.sql(sql)) {
                        if (run == 2) {
                            ResultFormatter.write(r, ResultFormatter.Format.TABLE, out);
                        }
                        var t = r.timings();
                        out.printf("run %d: plan %.1f ms, compile %.1f ms (%d classes compiled, %d from the class cache), execute %.1f ms%n",
                                run, t.planNanos() / 1e6, t.compileNanos() / 1e6, r.compileStats().classesCompiled(),
                                r.compileStats().cacheHits(), t.executeNanos() / 1e6);
                    }
                }
                out.println();
            }
            out.println("Try: ./kiln sql --tpch " + sf + "   (interactive shell), or --explain-codegen -e \"...\" to see generated code.");
        }
        return 0;
    }
}
