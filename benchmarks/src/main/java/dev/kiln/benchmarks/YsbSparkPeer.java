package dev.kiln.benchmarks;

import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.ir.KilnException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Spark Structured Streaming running the Yahoo Streaming Benchmark query, in a child JVM: the
 * launcher of {@code dev.kiln.sparkpeer.YsbSparkMain} in {@code benchmarks/spark-peer} (built with
 * Maven on first use, as for {@link SparkPeer}; Spark and its Kafka source come from Maven Central).
 *
 * <p>The query counts the {@code 'view'} events per campaign per 10-second event-time window
 * (events joined with the campaigns table on ad_id), with a watermark, output mode update, and
 * writes the final counts as CSV ({@code campaign_id,window_start,count}; {@link #readCounts}).
 *
 * <pre>{@code
 * // throughput, files: JSON lines as YsbGenerator writes them, one micro-batch per file
 * YsbSparkPeer.Result r = YsbSparkPeer.run(YsbSparkPeer.Config.files(dir, campaignsCsv, countsCsv).cores(2).maxPerTrigger(1));
 * // throughput, Kafka: what the topic holds now, 100,000 offsets per micro-batch
 * YsbSparkPeer.run(YsbSparkPeer.Config.kafka(bootstrap, "ysb", campaignsCsv, countsCsv).watermarkMillis(1000).maxPerTrigger(100_000));
 * // latency, Kafka: start, produce once it listens, wait for the N events
 * try (YsbSparkPeer.Running spark = YsbSparkPeer.start(YsbSparkPeer.Config.kafka(...).live(n))) {
 *     spark.awaitStarted();
 *     ... produce n events ...
 *     YsbSparkPeer.Result r = spark.await();   // r.latencyMsP50(), r.latencyMsP99()
 * }
 * }</pre>
 */
public final class YsbSparkPeer {
    private static final String MAIN = "dev.kiln.sparkpeer.YsbSparkMain";

    private YsbSparkPeer() {}

    public enum Source { FILES, KAFKA }

    /**
     * One run of the peer. {@code input} is the directory of JSON-lines files (FILES) or the
     * bootstrap servers (KAFKA). {@code maxPerTrigger}: files (FILES) or Kafka offsets (KAFKA) per
     * micro-batch, 0 for no limit. {@code expectedEvents} &gt; 0 makes it a live run (a
     * processing-time trigger of 0 ms, stopped once that many events were processed); 0 is an
     * available-now run (what the source holds at start, then stop). Make one with
     * {@link #files} or {@link #kafka} and adjust it with the withers.
     */
    public record Config(Path project, Source source, String input, String topic, Path campaigns, Path output, int cores, long watermarkMillis,
            long maxPerTrigger, long expectedEvents, String heap, Duration timeout) {
        public Config {
            Objects.requireNonNull(project);
            Objects.requireNonNull(source);
            Objects.requireNonNull(input);
            Objects.requireNonNull(campaigns);
            Objects.requireNonNull(output);
            if (source == Source.KAFKA && (topic == null || topic.isEmpty())) throw new IllegalArgumentException("a Kafka run needs a topic");
            if (source == Source.FILES && expectedEvents > 0) throw new IllegalArgumentException("live runs read Kafka; a file run is available-now");
            if (cores < 1) throw new IllegalArgumentException("cores must be positive, not " + cores);
            if (watermarkMillis < 0 || maxPerTrigger < 0 || expectedEvents < 0) throw new IllegalArgumentException("negative watermark, max per trigger or expected events");
            if (!heap.matches("[1-9][0-9]*[mMgG]")) throw new IllegalArgumentException("heap is a JVM heap size such as 4g, not " + heap);
        }

        /** Reads the JSON-lines files of {@code dir} (Spark's file source): local[2], watermark 0, all files in one micro-batch. */
        public static Config files(Path dir, Path campaigns, Path output) {
            return new Config(defaultProject(), Source.FILES, dir.toAbsolutePath().toString(), null, campaigns, output, 2, 0, 0, 0, "4g", Duration.ofMinutes(10));
        }

        /** Reads {@code topic} from its earliest offsets (Spark's Kafka source): local[2], watermark 0, no limit per micro-batch. */
        public static Config kafka(String bootstrapServers, String topic, Path campaigns, Path output) {
            return new Config(defaultProject(), Source.KAFKA, bootstrapServers, topic, campaigns, output, 2, 0, 0, 0, "4g", Duration.ofMinutes(10));
        }

        public Config cores(int n) {
            return new Config(project, source, input, topic, campaigns, output, n, watermarkMillis, maxPerTrigger, expectedEvents, heap, timeout);
        }

        public Config watermarkMillis(long ms) {
            return new Config(project, source, input, topic, campaigns, output, cores, ms, maxPerTrigger, expectedEvents, heap, timeout);
        }

        public Config maxPerTrigger(long n) {
            return new Config(project, source, input, topic, campaigns, output, cores, watermarkMillis, n, expectedEvents, heap, timeout);
        }

        /** A live run that stops once {@code events} input events were processed. */
        public Config live(long events) {
            if (events <= 0) throw new IllegalArgumentException("a live run needs the number of events to wait for");
            return new Config(project, source, input, topic, campaigns, output, cores, watermarkMillis, maxPerTrigger, events, heap, timeout);
        }

        public Config heap(String h) {
            return new Config(project, source, input, topic, campaigns, output, cores, watermarkMillis, maxPerTrigger, expectedEvents, h, timeout);
        }

        public Config timeout(Duration t) {
            return new Config(project, source, input, topic, campaigns, output, cores, watermarkMillis, maxPerTrigger, expectedEvents, heap, t);
        }

        /** The peer project (default: {@link #defaultProject()}). */
        public Config project(Path p) {
            return new Config(p, source, input, topic, campaigns, output, cores, watermarkMillis, maxPerTrigger, expectedEvents, heap, timeout);
        }

        public boolean isLive() {
            return expectedEvents > 0;
        }

        /** The command line of YsbSparkMain. */
        List<String> args() {
            List<String> a = new ArrayList<>();
            if (source == Source.FILES) {
                a.addAll(List.of("--source", "files", "--input", input));
            } else {
                a.addAll(List.of("--source", "kafka", "--bootstrap", input, "--topic", topic));
            }
            a.addAll(List.of("--campaigns", campaigns.toAbsolutePath().toString(), "--output", output.toAbsolutePath().toString(),
                    "--cores", Integer.toString(cores), "--watermark-ms", Long.toString(watermarkMillis),
                    "--max-per-trigger", Long.toString(maxPerTrigger), "--timeout-s", Long.toString(Math.max(1, timeout.toSeconds()))));
            if (isLive()) a.addAll(List.of("--trigger", "live", "--expected-events", Long.toString(expectedEvents)));
            else a.addAll(List.of("--trigger", "available-now"));
            return a;
        }
    }

    /**
     * The figures of one run. {@code seconds}: available-now, from the query's start to all input
     * processed; live, from the moment the query listened ({@link Running#awaitStarted}) to the end
     * of its last micro-batch. Neither includes starting the JVM and Spark. {@code events} counts
     * every input event (all event types); {@code sourceRows} what Spark's source handed on (for
     * files only the views: Spark pushes the filter into its JSON reader). Per core divides by the N
     * of local[N]. Batch figures are Spark's {@code durationMs.triggerExecution} of the micro-batches
     * with input (nearest-rank percentiles); the steady rate is the events of all but the first
     * micro-batch (which plans, generates code and warms the JIT up) over the sum of their durations,
     * NaN with a single batch. Latency (Kafka live runs only, else empty): per (campaign, window),
     * the wall-clock time the sink had its final count minus the Kafka timestamp of its last event.
     */
    public record Result(String sparkVersion, int cores, long events, long sourceRows, double seconds, double eventsPerSecond,
            double eventsPerSecondPerCore, int batches, double batchMsP50, double batchMsP99, double batchMsMax, double firstBatchMs,
            double steadyEventsPerSecond, double steadyEventsPerSecondPerCore, OptionalDouble latencyMsP50, OptionalDouble latencyMsP99,
            long latencyWindows, long windows, Path output) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "Spark %s local[%d]: %,d events in %.3f s = %,.0f events/s (%,.0f per core); %d micro-batches, p50 %.0f ms, p99 %.0f ms, max %.0f ms, first %.0f ms",
                    sparkVersion, cores, events, seconds, eventsPerSecond, eventsPerSecondPerCore, batches, batchMsP50, batchMsP99, batchMsMax, firstBatchMs));
            if (!Double.isNaN(steadyEventsPerSecond)) {
                sb.append(String.format(java.util.Locale.ROOT, "; after the first micro-batch %,.0f events/s (%,.0f per core)", steadyEventsPerSecond,
                        steadyEventsPerSecondPerCore));
            }
            if (latencyMsP50.isPresent()) {
                sb.append(String.format(java.util.Locale.ROOT, "; event-to-sink latency over %d windows p50 %.0f ms, p99 %.0f ms",
                        latencyWindows, latencyMsP50.getAsDouble(), latencyMsP99.getAsDouble()));
            }
            return sb.append("; ").append(windows).append(" counts in ").append(output).toString();
        }
    }

    /** A (campaign, window) of the counts; the window by its start in epoch milliseconds. */
    public record Window(String campaignId, long windowStartMillis) {}

    /** {@code -Dkiln.bench.sparkPeer}, else {@code benchmarks/spark-peer} (from the repository root). */
    public static Path defaultProject() {
        return Path.of(System.getProperty("kiln.bench.sparkPeer", "benchmarks/spark-peer"));
    }

    /** Runs the peer to its end: {@code start(config).await()}. */
    public static Result run(Config config) throws IOException {
        try (Running r = start(config)) {
            return r.await();
        }
    }

    /** Builds the peer project if needed and starts the child JVM; returns at once. */
    public static Running start(Config config) throws IOException {
        List<String> classPath = SparkPeer.build(config.project());
        Path log = config.project().resolve("target").resolve("ysb-spark-peer.log");
        List<String> cmd = SparkPeer.javaCommand(config.heap(), classPath, MAIN);
        cmd.addAll(config.args());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return new Running(pb.start(), log, config);
    }

    /** A started peer. Reads its stdout; {@link #close} ends it if it is still running. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final Path log;
        private final Config config;
        private final Map<String, String> figures = new LinkedHashMap<>();
        private long started = -1;

        private Running(Process process, Path log, Config config) {
            this.process = process;
            this.log = log;
            this.config = config;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The child's process (to wait for it to go idle, or to watch its CPU time). */
        public ProcessHandle handle() {
            return process.toHandle();
        }

        /**
         * Waits until the query runs (live: its source is open and it waits for data, so a producer
         * may start); returns that moment in epoch milliseconds.
         */
        public long awaitStarted() throws IOException {
            while (started < 0) {
                if (!readOne()) throw failure("the Spark YSB peer exited before its query started");
            }
            return started;
        }

        /** Waits for the end of the run and returns its figures. */
        public Result await() throws IOException {
            awaitStarted();
            while (!figures.containsKey("END")) {
                if (!readOne()) throw failure("the Spark YSB peer exited before it reported its figures");
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return parse(figures);
        }

        /** Reads one line into the figures; false at the end of the stream. */
        private boolean readOne() throws IOException {
            String line = in.readLine();
            if (line == null) return false;
            if (line.startsWith("ERROR")) throw failure("the Spark YSB peer failed: " + line.substring(Math.min(line.length(), 6)));
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1);
            figures.put(key, value);
            if (key.equals("STARTED")) started = Long.parseLong(value);
            return true;
        }

        private KilnException failure(String message) {
            close();
            return new KilnException(message + " (" + config.source() + " " + config.input() + "); the end of its log " + log + ":\n" + SparkPeer.tail(log));
        }

        @Override
        public void close() {
            if (!process.isAlive()) return;
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The figures from the peer's {@code KEY value} lines (see YsbSparkMain). */
    static Result parse(Map<String, String> f) {
        for (String k : List.of("VERSION", "EVENTS", "STREAM_SECONDS", "EVENTS_PER_SECOND", "EVENTS_PER_SECOND_PER_CORE", "CORES", "BATCHES", "WINDOWS", "OUTPUT")) {
            if (!f.containsKey(k)) throw new KilnException("the Spark YSB peer did not report " + k + " (it reported " + f.keySet() + ")");
        }
        return new Result(f.get("VERSION"), Integer.parseInt(f.get("CORES")), Long.parseLong(f.get("EVENTS")),
                Long.parseLong(f.getOrDefault("SOURCE_ROWS", f.get("EVENTS"))),
                Double.parseDouble(f.get("STREAM_SECONDS")), Double.parseDouble(f.get("EVENTS_PER_SECOND")),
                Double.parseDouble(f.get("EVENTS_PER_SECOND_PER_CORE")), Integer.parseInt(f.get("BATCHES")),
                number(f, "BATCH_MS_P50"), number(f, "BATCH_MS_P99"), number(f, "BATCH_MS_MAX"), number(f, "FIRST_BATCH_MS"),
                number(f, "STEADY_EVENTS_PER_SECOND"), number(f, "STEADY_EVENTS_PER_SECOND_PER_CORE"),
                optional(f, "LATENCY_MS_P50"), optional(f, "LATENCY_MS_P99"), Long.parseLong(f.getOrDefault("LATENCY_WINDOWS", "0")),
                Long.parseLong(f.get("WINDOWS")), Path.of(f.get("OUTPUT")));
    }

    private static double number(Map<String, String> f, String k) {
        String v = f.get(k);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private static OptionalDouble optional(Map<String, String> f, String k) {
        String v = f.get(k);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v));
    }

    /** Writes the campaigns table as the peer reads it: CSV, header {@code ad_id,campaign_id}, one row per ad. */
    /**
     * Events [0, n) as JSON lines in {@code files} files, their modification times increasing with
     * their events (Spark's file source reads files in that order).
     */
    public static void writeEventFiles(YsbGenerator gen, long n, int files, Path dir) throws IOException {
        long base = System.currentTimeMillis() - 3_600_000;
        for (int f = 0; f < files; f++) {
            long from = n * f / files, to = n * (f + 1) / files;
            Path file = dir.resolve(String.format("events-%05d.json", f));
            java.nio.file.Files.write(file, gen.jsonLines(from, to));
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(base + 1000L * f));
        }
    }

    /**
     * Sends events [0, n) as one record each (the JSON line without its newline), round robin over
     * the partitions; at {@code rate} events per second when rate &gt; 0 (event i not before
     * start + i / rate s), else as fast as the broker takes them.
     */
    public static void produceEvents(String bootstrap, String topic, int partitions, YsbGenerator gen, long n, long rate) throws Exception {
        java.util.Map<String, Object> c = new java.util.HashMap<>();
        c.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        c.put(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        c.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, rate > 0 ? 2 : 20);
        c.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long chunk = rate > 0 ? Math.max(1, rate / 200) : 10_000; // paced: every 5 ms
        long start = System.nanoTime();
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(c)) {
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> last = null;
            for (long from = 0; from < n; from += chunk) {
                long to = Math.min(n, from + chunk);
                if (rate > 0) {
                    long due = start + from * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                byte[] lines = gen.jsonLines(from, to);
                long i = from;
                for (int p = 0, end; p < lines.length; p = end + 1, i++) {
                    end = p;
                    while (lines[end] != '\n') end++;
                    last = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, (int) (i % partitions), null, java.util.Arrays.copyOfRange(lines, p, end)));
                }
            }
            producer.flush();
            if (last != null) last.get();
        }
    }

    public static void writeCampaigns(YsbGenerator generator, Path csv) throws IOException {
        if (csv.toAbsolutePath().getParent() != null) Files.createDirectories(csv.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("ad_id,campaign_id\n");
            for (Object[] row : generator.campaignRows()) w.write(row[0] + "," + row[1] + "\n");
        }
    }

    /** The counts the peer wrote ({@code campaign_id,window_start,count} with a header row). */
    public static Map<Window, Long> readCounts(Path csv) throws IOException {
        Map<Window, Long> counts = new HashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.getFirst().equals("campaign_id,window_start,count")) throw new KilnException("not a YSB counts file: " + csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length != 3) throw new KilnException("malformed line in " + csv + ": " + line);
            if (counts.put(new Window(f[0], Long.parseLong(f[1])), Long.parseLong(f[2])) != null) throw new KilnException("duplicate window in " + csv + ": " + line);
        }
        return counts;
    }

    /**
     * What the query must count over events [from, to) of the generator, computed plainly: the
     * views, their ad's campaign, the 10-second window of their event time.
     */
    public static Map<Window, Long> expectedCounts(YsbGenerator generator, long from, long to) {
        Map<String, String> campaignOf = new HashMap<>();
        for (Object[] row : generator.campaignRows()) campaignOf.put((String) row[0], (String) row[1]);
        Map<Window, Long> counts = new HashMap<>();
        for (long i = from; i < to; i++) {
            YsbGenerator.Event e = generator.event(i);
            if (!e.eventType().equals("view")) continue;
            counts.merge(new Window(campaignOf.get(e.adId()), Math.floorDiv(e.eventTimeMillis(), 10_000L) * 10_000L), 1L, Long::sum);
        }
        return counts;
    }
}
