package dev.kiln.benchmarks;

import dev.kiln.ir.KilnException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spark SQL in a child JVM ({@code benchmarks/spark-peer}, a Maven project outside the reactor,
 * since Spark's class path conflicts with Kiln's). The first use builds that project and its class
 * path with Maven (online once: it downloads Spark); later uses find both under its target/. The
 * child gets the same JDK as this JVM, {@code local[threads]}, and the {@code --add-opens} flags
 * Spark needs on JDK 17+; its log goes to target/spark-peer.log. See {@code SparkPeerMain} there
 * for the line protocol.
 */
final class SparkPeer implements AutoCloseable {
    /** What one RUN command returned: the rows of the last timed run and the time of each run. */
    record Run(List<Object[]> rows, Stats stats) {}

    private static final String MAIN = "dev.kiln.sparkpeer.SparkPeerMain";
    private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
            "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.util.calendar");

    private final Process process;
    private final BufferedReader in;
    private final Writer out;
    private final Path log;
    private final String version;
    private final double loadMillis;

    private SparkPeer(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String ready = readLine("starting");
        String[] f = ready.split(" ");
        if (f.length != 3 || !f[0].equals("READY")) throw failure("unexpected first line from the Spark peer: " + ready);
        version = f[1];
        loadMillis = Double.parseDouble(f[2]);
    }

    /** The peer's process (the benchmark waits for it to go idle before timing another system). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Starts Spark over the {@code NAME.parquet} files of {@code data}, building the peer project first if needed. */
    static SparkPeer start(Path project, Path data, int threads, String heap) throws IOException {
        List<String> classPath = build(project);
        Path log = project.resolve("target").resolve("spark-peer.log");
        List<String> cmd = javaCommand(heap, classPath, MAIN);
        cmd.add(data.toAbsolutePath().toString());
        cmd.add(Integer.toString(threads));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return new SparkPeer(pb.start(), log);
    }

    /** {@code java} of this JVM's JDK with Spark's flags, the heap, the class path and the main class. */
    static List<String> javaCommand(String heap, List<String> classPath, String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow"); // Spark's Platform and Arrow use sun.misc.Unsafe
        for (String p : OPENS) cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        cmd.add("-Djdk.reflect.useDirectMethodHandle=false");
        cmd.add("-Dio.netty.tryReflectionSetAccessible=true");
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classPath));
        cmd.add(main);
        return cmd;
    }

    /**
     * The peer's class path: its compiled classes and every jar Maven resolved for it. Built with
     * {@code mvn package dependency:build-classpath} when the stamp is older than the pom or a
     * source file, or an entry has gone (a wiped local repository).
     */
    static List<String> build(Path project) throws IOException {
        Path pom = project.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) throw new KilnException("no Spark peer project at " + project.toAbsolutePath() + " (run from the repository root)");
        Path target = project.resolve("target");
        Path cpFile = target.resolve("classpath.txt");
        Path classes = target.resolve("classes");
        if (!upToDate(project, cpFile, classes)) {
            System.out.println("Spark peer: building " + project + " with Maven (the first build downloads Spark from Maven Central)...");
            Files.createDirectories(target);
            Path buildLog = target.resolve("build.log");
            List<String> cmd = List.of("mvn", "-q", "-B", "-ntp", "-f", pom.toAbsolutePath().toString(), "package", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + cpFile.toAbsolutePath());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(buildLog.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            int rc;
            try {
                rc = pb.start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KilnException("interrupted while building the Spark peer");
            }
            if (rc != 0) throw new KilnException("building the Spark peer failed (" + String.join(" ", cmd) + ", exit " + rc + "):\n" + tail(buildLog));
            // the stamp of the build: build-classpath leaves an unchanged file as it was, and the
            // sources are newer than that
            Files.setLastModifiedTime(cpFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        }
        List<String> cp = new ArrayList<>();
        cp.add(classes.toAbsolutePath().toString());
        cp.addAll(List.of(Files.readString(cpFile).strip().split(java.io.File.pathSeparator)));
        return cp;
    }

    private static boolean upToDate(Path project, Path cpFile, Path classes) throws IOException {
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) return false;
        var stamp = Files.getLastModifiedTime(cpFile);
        for (String entry : Files.readString(cpFile).strip().split(java.io.File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) return false;
        }
        try (var files = Files.walk(project.resolve("src"))) {
            if (files.anyMatch(f -> modifiedAfter(f, stamp))) return false;
        }
        return !modifiedAfter(project.resolve("pom.xml"), stamp);
    }

    private static boolean modifiedAfter(Path f, java.nio.file.attribute.FileTime t) {
        try {
            return Files.getLastModifiedTime(f).compareTo(t) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    String version() {
        return version;
    }

    /** Milliseconds the child took to start Spark, read the Parquet files and cache them. */
    double loadMillis() {
        return loadMillis;
    }

    /** Runs {@code sql} (Spark's dialect) warm-up times untimed, then runs times timed. */
    Run run(String sql, int warmup, int runs) throws IOException {
        String[] lines = sql.split("\n", -1);
        StringBuilder cmd = new StringBuilder("RUN ").append(warmup).append(' ').append(runs).append(' ').append(lines.length).append('\n');
        for (String l : lines) cmd.append(l.replace("\r", "")).append('\n');
        out.write(cmd.toString());
        out.flush();
        String head = readLine("running a query");
        if (head.startsWith("ERROR ")) throw new KilnException("Spark failed: " + head.substring(6) + "\nquery:\n" + sql);
        if (!head.startsWith("ROWS ")) throw failure("unexpected reply from the Spark peer: " + head);
        int n = Integer.parseInt(head.substring(5));
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(decodeRow(readLine("reading rows")));
        String times = readLine("reading times");
        if (!times.startsWith("TIMES ")) throw failure("unexpected reply from the Spark peer: " + times);
        List<Double> ms = new ArrayList<>();
        for (String t : times.substring(6).split(" ")) ms.add(Double.parseDouble(t));
        String end = readLine("reading the end of a reply");
        if (!end.equals("END")) throw failure("unexpected reply from the Spark peer: " + end);
        return new Run(rows, Stats.of(ms));
    }

    /** One row of the protocol (see SparkPeerMain): tab-separated typed values. */
    static Object[] decodeRow(String line) {
        String[] f = line.isEmpty() ? new String[] {""} : line.split("\t", -1);
        Object[] row = new Object[f.length];
        for (int i = 0; i < f.length; i++) row[i] = decodeValue(f[i]);
        return row;
    }

    static Object decodeValue(String v) {
        if (v.equals("N")) return null;
        if (v.length() < 2 || v.charAt(1) != ':') throw new KilnException("malformed value from the Spark peer: '" + v + "'");
        String s = v.substring(2);
        return switch (v.charAt(0)) {
            case 's' -> unescape(s);
            case 'd' -> new BigDecimal(s);
            case 'f' -> Double.parseDouble(s);
            case 'i' -> Long.parseLong(s);
            case 't' -> LocalDate.parse(s);
            case 'b' -> Boolean.parseBoolean(s);
            default -> throw new KilnException("malformed value from the Spark peer: '" + v + "'");
        };
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            sb.append(switch (e) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> e;
            });
        }
        return sb.toString();
    }

    private String readLine(String doing) throws IOException {
        String line = in.readLine();
        if (line == null) throw failure("the Spark peer exited while " + doing);
        return line;
    }

    private KilnException failure(String message) {
        return new KilnException(message + "; the end of its log " + log + ":\n" + tail(log));
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("QUIT\n");
            out.flush();
        } catch (IOException e) {
            // the child is gone already; destroy below makes sure
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
