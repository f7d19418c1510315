package dev.kiln.benchmarks;

import dev.kiln.benchmarks.jmh.JmhReport;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code kiln bench jmh [regex...] [JMH options]}: runs the JMH kernels of
 * {@code dev.kiln.benchmarks.jmh} (all of them, or those whose name matches a regex), with JMH's
 * own options ({@code -f 1 -wi 2 -i 3}, {@code -p sf=0.1}, {@code -h} for the list), then prints
 * rows/s and GB/s per kernel, Q6's distance from the memory-bandwidth bound, and writes them as
 * JSON under benchmarks/results/. Forks run on this JVM's class path with {@link #FORK_FLAGS}.
 */
public final class JmhMain {
    private JmhMain() {}

    /** What every forked JVM needs for Kiln: FFM downcalls (libc calloc), deep Calcite recursion, no Unsafe warnings. */
    public static final List<String> FORK_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xss4m");

    /** The benchmarks this entry point runs when no regex is given. */
    public static final String ALL = "^dev\\.kiln\\.benchmarks\\.jmh\\.";

    /** The benchmark classes and methods, for the message when a regex matches none. */
    static final String KERNELS = "QueryKernels.{q6Filter,hashJoin,aggLowCardinality,aggHighCardinality}, HashProbeKernel.probe, "
            + "DecimalKernel.discountedCharge, HandWrittenQ6.q6, StreamKernel.sum";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Exit code 0, or 2 for a usage error; a failing benchmark throws a KilnException. */
    public static int run(String[] args) {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException | IllegalArgumentException | IllegalStateException e) {
            // JMH reports some bad values (an unknown -bm mode) as unchecked exceptions
            System.err.println("kiln bench jmh: " + String.valueOf(e.getMessage()).strip());
            System.err.println("usage: kiln bench jmh [regex...] [JMH options, e.g. -f 1 -wi 2 -i 3 -p sf=1]; -h lists JMH's options");
            return 2;
        }
        try {
            if (cmd.shouldHelp()) {
                cmd.showHelp();
                return 0;
            }
            ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
            if (cmd.getIncludes().isEmpty()) b.include(ALL);
            List<String> append = new ArrayList<>(FORK_FLAGS);
            if (cmd.getJvmArgsAppend().hasValue()) append.addAll(cmd.getJvmArgsAppend().get());
            b.jvmArgsAppend(append.toArray(new String[0]));
            Runner runner = new Runner(b.build());
            if (cmd.shouldList() || cmd.shouldListWithParams()) {
                runner.list();
                return 0;
            }
            double loadBefore = JmhReport.loadAverage();
            Collection<RunResult> results;
            try {
                results = runner.run();
            } catch (NoBenchmarksException e) {
                System.err.println("kiln bench jmh: no benchmark matches " + (cmd.getIncludes().isEmpty() ? ALL : String.join(" or ", cmd.getIncludes()))
                        + "; the kernels are " + KERNELS);
                return 2;
            }
            String machine = JmhReport.machine(loadBefore, JmhReport.loadAverage());
            if (results.isEmpty()) throw new KilnException("no benchmark ran (see JMH's output above)");
            List<JmhReport.Line> lines = JmhReport.lines(results);
            JmhReport.print(lines, System.out);
            System.out.println("machine: " + machine);
            // the kernels use one thread; a load of 1 or more before the run means other processes competed for the cores
            if (loadBefore >= 1) System.out.printf(java.util.Locale.ROOT, "warning: the machine was busy before the run (load average %.2f): the figures are noisy%n", loadBefore);
            Path dir = Path.of("benchmarks", "results");
            Files.createDirectories(dir);
            Path file = dir.resolve("jmh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            Files.writeString(file, JmhReport.json(lines, machine));
            System.out.println("report: " + file);
            return 0;
        } catch (RunnerException | IOException e) {
            throw new KilnException("JMH run failed: " + e.getMessage(), e);
        }
    }
}
