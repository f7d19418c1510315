package dev.kiln.sparkpeer;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.window;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Yahoo Streaming Benchmark query in Spark Structured Streaming, the peer of Kiln's streaming
 * engine (launched by {@code dev.kiln.benchmarks.YsbSparkPeer}, in a JVM of its own).
 *
 * <p>The query: events whose {@code event_type} is {@code 'view'}, joined with the static campaigns
 * table ({@code ad_id -> campaign_id}, broadcast), counted per {@code campaign_id} per 10-second
 * event-time tumbling window ({@code window(event_time, '10 seconds')}) with a watermark on
 * {@code event_time}, output mode update, into a {@code foreachBatch} sink on the driver that keeps
 * the latest count of every (campaign, window) and writes them as CSV at the end
 * ({@code campaign_id,window_start,count}, window_start in epoch milliseconds, sorted).
 *
 * <pre>
 * YsbSparkMain --source files --input DIR             (JSON lines as YsbGenerator writes them)
 *            | --source kafka --bootstrap HOST:PORT --topic T   (one JSON event per record value)
 *              --campaigns FILE.csv   (header ad_id,campaign_id)   --output COUNTS.csv
 *              [--cores 2] [--watermark-ms 0] [--trigger available-now | live]
 *              [--max-per-trigger N]  (files or Kafka offsets per micro-batch; 0 = no limit)
 *              [--expected-events N]  (live: stop once N events were processed)
 *              [--timeout-s 600] [--checkpoint DIR]
 * </pre>
 *
 * <p>{@code available-now} ({@code Trigger.AvailableNow}) processes what the source holds at start,
 * in micro-batches of at most {@code --max-per-trigger}, and stops: the throughput run.
 * {@code live} (Kafka only; a processing-time trigger of 0 ms: the next micro-batch starts as soon
 * as the previous one ends) runs until {@code --expected-events} input rows were processed, while the caller
 * produces them: the latency run. The file source reads the files in modification-time order, so
 * whoever writes them should make those times increase with the event times, or a watermark of 0
 * may drop events as late.
 *
 * <p>stdout carries only these lines (everything Spark prints goes to stderr):
 *
 * <pre>
 * VERSION &lt;spark version&gt;
 * STARTED &lt;epoch ms&gt;            the query runs (live: its source is open and waits for data)
 * EVENTS &lt;n&gt;                     input events processed (all event types; files: the lines of the
 *                                files read, since Spark pushes the view filter into its JSON reader)
 * SOURCE_ROWS &lt;n&gt;                the rows Spark's source handed on (numInputRows; files: the views)
 * STREAM_SECONDS &lt;s&gt;             available-now: query start to all input processed;
 *                                live: STARTED to the end of the last micro-batch
 * EVENTS_PER_SECOND &lt;x&gt;
 * EVENTS_PER_SECOND_PER_CORE &lt;x&gt;  divided by the N of local[N]
 * CORES &lt;n&gt;
 * BATCHES &lt;n&gt;                    micro-batches that had input
 * BATCH_MS_P50 &lt;ms&gt;  BATCH_MS_P99 &lt;ms&gt;  BATCH_MS_MAX &lt;ms&gt;   Spark's durationMs.triggerExecution of those
 * FIRST_BATCH_MS &lt;ms&gt;            the first of them (it also plans, generates code and warms the JIT up)
 * STEADY_EVENTS_PER_SECOND &lt;x&gt;  STEADY_EVENTS_PER_SECOND_PER_CORE &lt;x&gt;
 *                                the events of the later batches over the sum of their durations
 * LATENCY_MS_P50 &lt;ms&gt; LATENCY_MS_P99 &lt;ms&gt; LATENCY_WINDOWS &lt;n&gt;   Kafka live runs only, see below
 * WINDOWS &lt;n&gt;                    (campaign, window) counts written
 * OUTPUT &lt;path&gt;
 * END
 * or:  ERROR &lt;message&gt;  (exit status 1)
 * </pre>
 *
 * Percentiles are nearest-rank. Event-to-sink latency (Kafka, live): per (campaign, window), the
 * wall-clock time at which the sink had the window's final count (after {@code foreachBatch}
 * collected the micro-batch that last updated it) minus the Kafka record timestamp of the window's
 * last event (the producer's send time, {@code max(timestamp)} computed in the aggregation). Both
 * clocks are this machine's.
 */
public final class YsbSparkMain {
    private YsbSparkMain() {}

    /** The generator's event, as JSON: event_time is a number of epoch milliseconds. */
    static final StructType EVENT_SCHEMA = new StructType()
            .add("user_id", DataTypes.StringType)
            .add("page_id", DataTypes.StringType)
            .add("ad_id", DataTypes.StringType)
            .add("ad_type", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.LongType)
            .add("ip_address", DataTypes.StringType);

    static final StructType CAMPAIGN_SCHEMA = new StructType()
            .add("ad_id", DataTypes.StringType)
            .add("campaign_id", DataTypes.StringType);

    /** The parsed command line. */
    record Args(String source, String input, String bootstrap, String topic, String campaigns, String output, int cores, long watermarkMs,
            boolean live, long maxPerTrigger, long expectedEvents, long timeoutS, String checkpoint) {
        static Args parse(String[] a) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < a.length; i++) {
                if (!a[i].startsWith("--") || i + 1 == a.length) throw new IllegalArgumentException("expected --option value, got '" + a[i] + "'");
                m.put(a[i], a[++i]);
            }
            List<String> known = List.of("--source", "--input", "--bootstrap", "--topic", "--campaigns", "--output", "--cores", "--watermark-ms",
                    "--trigger", "--max-per-trigger", "--expected-events", "--timeout-s", "--checkpoint");
            for (String k : m.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option " + k + " (known: " + known + ")");
            String source = need(m, "--source");
            if (!source.equals("files") && !source.equals("kafka")) throw new IllegalArgumentException("--source is files or kafka, not " + source);
            String trigger = m.getOrDefault("--trigger", "available-now");
            if (!trigger.equals("available-now") && !trigger.equals("live")) throw new IllegalArgumentException("--trigger is available-now or live, not " + trigger);
            boolean live = trigger.equals("live");
            long expected = Long.parseLong(m.getOrDefault("--expected-events", "0"));
            if (live && expected <= 0) throw new IllegalArgumentException("--trigger live needs --expected-events N (when to stop)");
            if (live && !source.equals("kafka")) throw new IllegalArgumentException("--trigger live needs --source kafka");
            int cores = Integer.parseInt(m.getOrDefault("--cores", "2"));
            if (cores < 1) throw new IllegalArgumentException("--cores must be positive");
            return new Args(source,
                    source.equals("files") ? need(m, "--input") : null,
                    source.equals("kafka") ? need(m, "--bootstrap") : null,
                    source.equals("kafka") ? need(m, "--topic") : null,
                    need(m, "--campaigns"), need(m, "--output"), cores,
                    Long.parseLong(m.getOrDefault("--watermark-ms", "0")), live,
                    Long.parseLong(m.getOrDefault("--max-per-trigger", "0")), expected,
                    Long.parseLong(m.getOrDefault("--timeout-s", "600")), m.get("--checkpoint"));
        }

        private static String need(Map<String, String> m, String k) {
            String v = m.get(k);
            if (v == null) throw new IllegalArgumentException("missing " + k);
            return v;
        }
    }

    /** The latest update of one (campaign, window) the sink saw. */
    record Update(long count, long lastEventTs, long sinkMillis) {}

    /** What the sink saw, by "campaign_id,window_start"; written by foreachBatch on the driver. */
    static final Map<String, Update> LATEST = new ConcurrentHashMap<>();

    public static void main(String[] argv) {
        // the result lines own stdout; anything a library prints goes to stderr
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int rc = 0;
        try {
            run(Args.parse(argv), out);
        } catch (Throwable e) {
            e.printStackTrace();
            out.println("ERROR " + String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage()).replaceAll("\\s+", " "));
            rc = 1;
        }
        out.flush();
        System.exit(rc); // Spark and Kafka leave non-daemon threads behind
    }

    static void run(Args a, PrintStream out) throws Exception {
        SparkSession spark = SparkSession.builder()
                .appName("kiln-ysb-spark-peer")
                .master("local[" + a.cores() + "]")
                .config("spark.sql.shuffle.partitions", a.cores())
                .config("spark.default.parallelism", a.cores())
                .config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                // every progress stays in query.recentProgress(), so the statistics cover all batches
                .config("spark.sql.streaming.numRecentProgressUpdates", 1_000_000)
                // update mode emits every changed count in the batch that changed it; batches without
                // input would only evict state, which the next batch with input does as well
                .config("spark.sql.streaming.noDataMicroBatches.enabled", false)
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        out.println("VERSION " + spark.version());

        Dataset<Row> campaigns = spark.read().schema(CAMPAIGN_SCHEMA).option("header", true).csv(a.campaigns()).cache();
        if (campaigns.count() == 0) throw new IllegalArgumentException("no campaigns in " + a.campaigns());

        boolean kafka = a.source().equals("kafka");
        Dataset<Row> events;
        Column lastTs;
        if (kafka) {
            var r = spark.readStream().format("kafka")
                    .option("kafka.bootstrap.servers", a.bootstrap())
                    .option("subscribe", a.topic())
                    .option("startingOffsets", "earliest")
                    .option("failOnDataLoss", "true");
            if (a.maxPerTrigger() > 0) r = r.option("maxOffsetsPerTrigger", a.maxPerTrigger());
            events = r.load()
                    .select(from_json(col("value").cast("string"), EVENT_SCHEMA).as("e"), col("timestamp").as("kafka_ts"))
                    .select(col("e.ad_id").as("ad_id"), col("e.event_type").as("event_type"), col("e.event_time").as("event_time"), col("kafka_ts"));
            lastTs = unix_millis(max(col("kafka_ts")));
        } else {
            var r = spark.readStream().schema(EVENT_SCHEMA);
            if (a.maxPerTrigger() > 0) r = r.option("maxFilesPerTrigger", a.maxPerTrigger());
            events = r.json(a.input());
            lastTs = lit(null).cast(DataTypes.LongType);
        }
        Dataset<Row> counts = events
                .filter(col("event_type").equalTo("view"))
                .select(col("ad_id"), timestamp_millis(col("event_time")).as("event_time"), kafka ? col("kafka_ts") : lit(0L).as("kafka_ts"))
                .withWatermark("event_time", a.watermarkMs() + " milliseconds")
                .join(broadcast(campaigns), "ad_id")
                .groupBy(col("campaign_id"), window(col("event_time"), "10 seconds").as("w"))
                .agg(count(lit(1)).as("count"), lastTs.as("last_ts"))
                .select(col("campaign_id"), unix_millis(col("w.start")).as("window_start"), col("count"), col("last_ts"));

        Path checkpoint = a.checkpoint() != null ? Path.of(a.checkpoint()) : Files.createTempDirectory("kiln-ysb-spark-checkpoint-");
        AtomicLong processed = new AtomicLong();
        AtomicLong lastBatchEnd = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        spark.streams().addListener(new StreamingQueryListener() {
            @Override public void onQueryStarted(QueryStartedEvent e) {}
            @Override public void onQueryIdle(QueryIdleEvent e) {}
            @Override public void onQueryTerminated(QueryTerminatedEvent e) {
                enough.countDown();
            }
            @Override public void onQueryProgress(QueryProgressEvent e) {
                StreamingQueryProgress p = e.progress();
                if (p.numInputRows() == 0) return;
                lastBatchEnd.set(Instant.parse(p.timestamp()).toEpochMilli() + p.batchDuration());
                if (processed.addAndGet(p.numInputRows()) >= a.expectedEvents() && a.live()) enough.countDown();
            }
        });

        VoidFunction2<Dataset<Row>, Long> sink = (batch, id) -> {
            List<Row> rows = batch.collectAsList();
            long now = System.currentTimeMillis();
            for (Row r : rows) {
                long ts = r.isNullAt(3) ? Long.MIN_VALUE : r.getLong(3);
                LATEST.put(r.getString(0) + "," + r.getLong(1), new Update(r.getLong(2), ts, now));
            }
        };
        long t0 = System.nanoTime();
        StreamingQuery query = counts.writeStream()
                .queryName("ysb")
                .outputMode("update")
                .option("checkpointLocation", checkpoint.toString())
                .trigger(a.live() ? Trigger.ProcessingTime(0) : Trigger.AvailableNow())
                .foreachBatch(sink)
                .start();
        double seconds;
        try {
            if (a.live()) {
                long started = awaitListening(query, a.timeoutS());
                out.println("STARTED " + started);
                if (!enough.await(a.timeoutS(), TimeUnit.SECONDS))
                    throw new IllegalStateException("live run: " + processed.get() + " of " + a.expectedEvents() + " events after " + a.timeoutS() + " s");
                if (query.exception().isDefined()) throw query.exception().get();
                if (processed.get() < a.expectedEvents())
                    throw new IllegalStateException("the query ended after " + processed.get() + " of " + a.expectedEvents() + " events");
                seconds = (lastBatchEnd.get() - started) / 1e3;
                query.stop();
            } else {
                out.println("STARTED " + System.currentTimeMillis());
                if (!query.awaitTermination(TimeUnit.SECONDS.toMillis(a.timeoutS())))
                    throw new IllegalStateException("available-now run not done after " + a.timeoutS() + " s");
                seconds = (System.nanoTime() - t0) / 1e9;
            }
        } finally {
            if (query.isActive()) query.stop();
        }
        if (query.exception().isDefined()) throw query.exception().get();

        // Events per micro-batch. Kafka: the records Spark read (numInputRows). Files: Spark pushes
        // event_type = 'view' into its JSON reader, so numInputRows counts only the views; the
        // events are the lines of the files each batch read, from the file source's log.
        Map<Long, Long> eventsByBatch = kafka ? null : fileEventsByBatch(checkpoint);
        List<StreamingQueryProgress> batches = new ArrayList<>();
        long sourceRows = 0;
        for (StreamingQueryProgress p : query.recentProgress()) {
            sourceRows += p.numInputRows();
            long n = kafka ? p.numInputRows() : eventsByBatch.getOrDefault(p.batchId(), 0L);
            if (n > 0 && (batches.isEmpty() || batches.get(batches.size() - 1).batchId() != p.batchId())) batches.add(p);
        }
        long inputEvents = 0, firstEvents = 0;
        double firstMs = 0, restMs = 0;
        List<Double> batchMs = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            StreamingQueryProgress p = batches.get(i);
            long n = kafka ? p.numInputRows() : eventsByBatch.get(p.batchId());
            Long ms = p.durationMs().get("triggerExecution");
            double d = ms != null ? ms : p.batchDuration();
            batchMs.add(d);
            inputEvents += n;
            if (i == 0) {
                firstEvents = n;
                firstMs = d;
            } else {
                restMs += d;
            }
        }
        Collections.sort(batchMs);
        out.println("EVENTS " + inputEvents);
        out.println("SOURCE_ROWS " + sourceRows);
        out.println(f("STREAM_SECONDS %.3f", seconds));
        out.println(f("EVENTS_PER_SECOND %.1f", inputEvents / seconds));
        out.println(f("EVENTS_PER_SECOND_PER_CORE %.1f", inputEvents / seconds / a.cores()));
        out.println("CORES " + a.cores());
        out.println("BATCHES " + batchMs.size());
        if (!batchMs.isEmpty()) {
            out.println(f("BATCH_MS_P50 %.1f", percentile(batchMs, 0.50)));
            out.println(f("BATCH_MS_P99 %.1f", percentile(batchMs, 0.99)));
            out.println(f("BATCH_MS_MAX %.1f", batchMs.get(batchMs.size() - 1)));
            out.println(f("FIRST_BATCH_MS %.1f", firstMs));
        }
        if (batches.size() > 1 && restMs > 0) {
            // the micro-batches after the first (which plans, generates code and warms the JIT up)
            double steady = (inputEvents - firstEvents) / (restMs / 1e3);
            out.println(f("STEADY_EVENTS_PER_SECOND %.1f", steady));
            out.println(f("STEADY_EVENTS_PER_SECOND_PER_CORE %.1f", steady / a.cores()));
        }
        if (kafka && a.live()) {
            List<Double> lat = new ArrayList<>();
            for (Update u : LATEST.values()) if (u.lastEventTs() != Long.MIN_VALUE) lat.add((double) (u.sinkMillis() - u.lastEventTs()));
            Collections.sort(lat);
            if (!lat.isEmpty()) {
                out.println(f("LATENCY_MS_P50 %.1f", percentile(lat, 0.50)));
                out.println(f("LATENCY_MS_P99 %.1f", percentile(lat, 0.99)));
                out.println("LATENCY_WINDOWS " + lat.size());
            }
        }
        Path output = Path.of(a.output()).toAbsolutePath();
        writeCounts(output);
        out.println("WINDOWS " + LATEST.size());
        out.println("OUTPUT " + output);
        out.println("END");
        spark.stop();
        if (a.checkpoint() == null) deleteTree(checkpoint);
    }

    /**
     * Waits until the live query's source is open and it waits for data (or has had some), so that
     * the caller's producer can start; returns the wall-clock time of that moment.
     */
    private static long awaitListening(StreamingQuery query, long timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < deadline) {
            if (query.exception().isDefined()) throw query.exception().get();
            String msg = query.status().message();
            if (query.lastProgress() != null || msg.startsWith("Waiting for data") || msg.startsWith("Waiting for next trigger")) return System.currentTimeMillis();
            Thread.sleep(10);
        }
        throw new IllegalStateException("the live query did not start within " + timeoutS + " s (status: " + query.status().message() + ")");
    }

    /** The sink's final counts as CSV, sorted by campaign and window; written to a temporary file and moved. */
    static void writeCounts(Path output) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Update> e : LATEST.entrySet()) {
            String[] k = e.getKey().split(",");
            rows.add(new String[] {k[0], k[1], Long.toString(e.getValue().count())});
        }
        rows.sort(Comparator.<String[], String>comparing(r -> r[0]).thenComparingLong(r -> Long.parseLong(r[1])));
        if (output.getParent() != null) Files.createDirectories(output.getParent());
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("campaign_id,window_start,count\n");
            for (String[] r : rows) w.write(r[0] + "," + r[1] + "," + r[2] + "\n");
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Events per micro-batch of the file source: the lines of the files each batch read, from the
     * source's log under the checkpoint ({@code sources/0/<batch>} and its {@code .compact} files:
     * a version line, then one JSON object per file with its path and batchId).
     */
    static Map<Long, Long> fileEventsByBatch(Path checkpoint) throws IOException {
        Path log = checkpoint.resolve("sources").resolve("0");
        Map<String, Long> batchOfPath = new HashMap<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))::iterator) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.startsWith("{")) continue;
                    String path = jsonField(line, "path");
                    String batch = jsonField(line, "batchId");
                    if (path != null && batch != null) batchOfPath.put(path, Long.parseLong(batch));
                }
            }
        }
        if (batchOfPath.isEmpty()) throw new IllegalStateException("no files in the file source's log " + log);
        Map<Long, Long> events = new HashMap<>();
        for (Map.Entry<String, Long> e : batchOfPath.entrySet()) events.merge(e.getValue(), countLines(Path.of(java.net.URI.create(e.getKey()))), Long::sum);
        return events;
    }

    /** The value of a top-level string or number field of a flat JSON object (no escapes in the values read here). */
    static String jsonField(String json, String name) {
        String key = "\"" + name + "\":";
        int i = json.indexOf(key);
        if (i < 0) return null;
        int p = i + key.length();
        if (json.charAt(p) == '"') {
            int end = json.indexOf('"', p + 1);
            return json.substring(p + 1, end);
        }
        int end = p;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) end++;
        return json.substring(p, end);
    }

    /** Lines of a JSON-lines file: its newlines, plus one for a last line without one. */
    static long countLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
                last = buf[n - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }

    /** Nearest rank: the smallest value with at least p of the values at or below it. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the checkpoint " + dir + ": " + e.getMessage());
        }
    }
}
