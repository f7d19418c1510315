package dev.kiln.sparkpeer;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL as a benchmark peer, in a JVM of its own (Spark's class path conflicts with Kiln's).
 *
 * <p>{@code SparkPeerMain <parquet dir> <threads>} starts a {@code local[threads]} session, registers
 * every {@code NAME.parquet} of the directory as the temporary view NAME and caches it eagerly
 * ({@code CACHE TABLE}), so that timed runs read memory as Kiln and DuckDB do. Then it answers a
 * line protocol on stdin/stdout (stdout carries nothing else: everything Spark prints goes to
 * stderr):
 *
 * <pre>
 * child:  READY &lt;spark version&gt; &lt;ms to load and cache&gt;
 * parent: RUN &lt;warmup&gt; &lt;runs&gt; &lt;n&gt;   followed by n lines of SQL text
 * child:  ROWS &lt;count&gt;               followed by count lines, one per result row of the last run
 *         TIMES &lt;ms&gt; &lt;ms&gt; ...         one figure per timed run (collect() of all rows)
 *         END
 *    or:  ERROR &lt;message&gt;              (the session stays usable)
 * parent: QUIT
 * </pre>
 *
 * A row is its values separated by tabs, each {@code N} (NULL) or a type letter, a colon and the
 * value: {@code s:} string (backslash escapes for backslash, tab, CR, LF), {@code d:} decimal,
 * {@code f:} double, {@code i:} integer, {@code t:} date (ISO), {@code b:} boolean.
 */
public final class SparkPeerMain {
    private SparkPeerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SparkPeerMain <parquet dir> <threads>");
            System.exit(2);
        }
        // the protocol owns stdout; anything a library prints goes to stderr
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int threads = Integer.parseInt(args[1]);
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder()
                .appName("kiln-bench-spark-peer")
                .master("local[" + threads + "]")
                .config("spark.sql.shuffle.partitions", threads)
                .config("spark.default.parallelism", threads)
                .config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", true)
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        File[] files = new File(args[0]).listFiles((d, n) -> n.endsWith(".parquet"));
        if (files == null || files.length == 0) throw new IllegalArgumentException("no .parquet files in " + args[0]);
        Arrays.sort(files);
        for (File f : files) {
            String name = f.getName().substring(0, f.getName().length() - ".parquet".length());
            spark.read().parquet(f.getAbsolutePath()).createOrReplaceTempView(name);
            spark.sql("CACHE TABLE " + name); // eager: materialized in memory now
        }
        out.printf(java.util.Locale.ROOT, "READY %s %.0f%n", spark.version(), (System.nanoTime() - t0) / 1e6);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("QUIT")) break;
            String[] cmd = line.split(" ");
            if (cmd.length != 4 || !cmd[0].equals("RUN")) {
                out.println("ERROR unknown command: " + line);
                out.flush();
                continue;
            }
            int warmup = Integer.parseInt(cmd[1]), runs = Integer.parseInt(cmd[2]), n = Integer.parseInt(cmd[3]);
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < n; i++) sql.append(in.readLine()).append('\n');
            try {
                List<Row> rows = List.of();
                for (int i = 0; i < warmup; i++) spark.sql(sql.toString()).collectAsList();
                List<String> times = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    rows = spark.sql(sql.toString()).collectAsList();
                    times.add(String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - t) / 1e6));
                }
                StringBuilder reply = new StringBuilder("ROWS ").append(rows.size()).append('\n');
                for (Row r : rows) {
                    for (int c = 0; c < r.length(); c++) {
                        if (c > 0) reply.append('\t');
                        encode(reply, r.get(c));
                    }
                    reply.append('\n');
                }
                reply.append("TIMES ").append(String.join(" ", times)).append("\nEND\n");
                out.print(reply);
            } catch (Exception e) {
                out.println("ERROR " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
            }
            out.flush();
        }
        spark.stop();
    }

    static void encode(StringBuilder sb, Object v) {
        // if-chains, not a pattern switch: this project compiles for Java 17 so that Spark can also
        // run on an older JDK than Kiln's
        if (v == null) {
            sb.append('N');
        } else if (v instanceof String s) {
            sb.append("s:");
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '\\') sb.append("\\\\");
                else if (ch == '\t') sb.append("\\t");
                else if (ch == '\n') sb.append("\\n");
                else if (ch == '\r') sb.append("\\r");
                else sb.append(ch);
            }
        } else if (v instanceof BigDecimal d) {
            sb.append("d:").append(d.toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            sb.append("f:").append(((Number) v).doubleValue());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            sb.append("i:").append(((Number) v).longValue());
        } else if (v instanceof LocalDate d) {
            sb.append("t:").append(d);
        } else if (v instanceof Boolean b) {
            sb.append("b:").append(b);
        } else {
            throw new IllegalStateException("unsupported result type " + v.getClass().getName() + ": " + v);
        }
    }
}
