package dev.kiln.engine.cli;

import dev.kiln.engine.TpchQueries;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The workload the {@code kiln} launcher runs once after a build to record the JVM's
 * ahead-of-time cache ({@code -XX:AOTCacheOutput}, JDK 25): the classes it loads (Calcite, the
 * optimizer, the code generator, ASM, the runtime) are stored parsed and linked, and the method
 * profiles it gathers let the JIT compile the hot ones as soon as a later run starts. Later
 * {@code kiln sql}, {@code demo} and {@code bench} runs start from that cache, so their first query
 * does not pay for loading and interpreting the compiler. The workload goes through the CLI as a
 * user would: every TPC-H query at scale factor 0.01, in each output format, and one of each
 * explain; the output is discarded. It fails (exit code 1) if any of them fails, so that a broken
 * build is not hidden behind a cache.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) {
        int failed = run(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8), System.err);
        if (failed > 0) {
            System.err.println("kiln: " + failed + " statement(s) of the AOT training run failed");
            System.exit(1);
        }
    }

    /** Runs the workload, its output to {@code out}, errors to {@code err}; returns how many commands failed. */
    static int run(PrintStream out, PrintStream err) {
        Main cli = new Main(out, err);
        String[] formats = {"table", "csv", "json"};
        int failed = 0;
        for (int q = 1; q <= 22; q++) {
            String sql = TpchQueries.text(q);
            failed += cli.run(new String[] {"sql", "--tpch", "0.01", "--format", formats[q % 3], "-e", sql}) == 0 ? 0 : 1;
        }
        failed += cli.run(new String[] {"sql", "--tpch", "0.01", "--explain", "-e", TpchQueries.text(3)}) == 0 ? 0 : 1;
        failed += cli.run(new String[] {"sql", "--tpch", "0.01", "--explain-analyze", "-e", TpchQueries.text(5)}) == 0 ? 0 : 1;
        failed += cli.run(new String[] {"sql", "--tpch", "0.01", "--explain-codegen", "-e", TpchQueries.text(6)}) == 0 ? 0 : 1;
        return failed;
    }
}
