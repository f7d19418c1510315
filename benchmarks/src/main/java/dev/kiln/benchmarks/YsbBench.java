package dev.kiln.benchmarks;

import dev.kiln.connectors.json.BadRecordPolicy;
import dev.kiln.connectors.json.JsonMemorySource;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.KilnConfig;
import dev.kiln.engine.QueryResult;
import dev.kiln.engine.stream.StreamingProgress;
import dev.kiln.engine.stream.StreamingQuery;
import dev.kiln.engine.stream.Trigger;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.vector.TableBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code kiln bench ysb [--events 4000000] [--runs 3] [--threads 1,2] [--batch 500000] [--rate 100000] [--vs spark]}:
 * the Yahoo Streaming Benchmark query over generated events held in memory as JSON lines (parsing
 * is part of the work), in Kiln's micro-batch mode; its counts are checked against the batch
 * query over the same events. Reports events/s and events/s per core (median, min, max over the
 * runs) and, with the source revealing events at {@code --rate} per second, p50/p99 of the time
 * from an event becoming readable to its count being in the sink.
 */
final class YsbBench {
    static final String QUERY = """
            SELECT c.campaign_id, TUMBLE_START(e.event_time, INTERVAL '10' SECOND) AS window_start, count(*) AS events
            FROM events e JOIN campaigns c ON e.ad_id = c.ad_id
            WHERE e.event_type = 'view'
            GROUP BY c.campaign_id, TUMBLE(e.event_time, INTERVAL '10' SECOND)""";

    record Options(long events, int runs, List<Integer> threads, long batch, long rate, long latencyEvents, boolean spark, Path out) {}

    static final String USAGE = "usage: kiln bench ysb [--events 4000000] [--runs 3] [--threads 1,2] [--batch 500000] [--rate 100000] [--latency-events 2000000] [--vs spark] [--out benchmarks/results]";

    static int run(List<String> args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln bench ysb: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        try {
            return bench(o);
        } catch (IOException e) {
            throw new KilnException("YSB benchmark failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("YSB benchmark interrupted", e);
        }
    }

    static Options parse(List<String> a) {
        long events = 4_000_000, batch = 500_000, rate = 100_000, latencyEvents = 2_000_000;
        int runs = 3;
        List<Integer> threads = List.of(1, 2);
        boolean spark = false;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i);
            if (i + 1 >= a.size()) throw new IllegalArgumentException(option + " needs a value");
            String v = a.get(++i);
            switch (option) {
                case "--events" -> events = positive(option, Long.parseLong(v));
                case "--runs" -> runs = (int) positive(option, Integer.parseInt(v));
                case "--threads" -> threads = Arrays.stream(v.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--batch" -> batch = positive(option, Long.parseLong(v));
                case "--rate" -> rate = positive(option, Long.parseLong(v));
                case "--latency-events" -> latencyEvents = Long.parseLong(v);
                case "--vs" -> {
                    if (!v.equals("spark")) throw new IllegalArgumentException("the YSB peer is spark, not " + v);
                    spark = true;
                }
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new Options(events, runs, threads, batch, rate, latencyEvents, spark, out);
    }

    private static long positive(String option, long v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be positive, not " + v);
        return v;
    }

    /**
     * One thread count's runs: events per wall-clock second, and events per CPU-second of the
     * whole process over the same span (every thread: query, workers, JIT, GC), which a busy
     * shared machine disturbs far less than the wall clock.
     */
    record Throughput(int threads, Stats eventsPerSecond, List<Double> runs, Stats eventsPerCpuSecond) {}

    /** events per second of wall-clock time and of process CPU time */
    record Rate(double wall, double cpu) {}

    /** Event-to-sink latency over the events after the warm-up (the first {@link #WARMUP_SECONDS} s of the run: JIT compilation). */
    record Latency(long rate, long events, double p50Millis, double p99Millis, double maxMillis, int batches) {}

    static final double WARMUP_SECONDS = 2;

    private static int bench(Options o) throws IOException, InterruptedException {
        YsbGenerator gen = new YsbGenerator(42, 1_760_000_000_000L, 100_000);
        long t0 = System.nanoTime();
        byte[] json = gen.jsonLines(0, o.events());
        System.out.printf(Locale.ROOT, "YSB: %d events (%.0f MB of JSON lines) generated in %.1f s; 100 campaigns x 10 ads; 10 s windows%n",
                o.events(), json.length / 1e6, (System.nanoTime() - t0) / 1e9);
        Map<String, Long> expected = expected(gen, json);
        List<Throughput> results = new ArrayList<>();
        for (int threads : o.threads()) {
            List<Double> rates = new ArrayList<>(), cpuRates = new ArrayList<>();
            for (int run = 0; run <= o.runs(); run++) { // run 0 warms up
                Rate eps = throughputRun(gen, json, threads, o.batch(), expected);
                if (run > 0) {
                    rates.add(eps.wall());
                    cpuRates.add(eps.cpu());
                }
            }
            Stats s = Stats.of(rates), c = Stats.of(cpuRates);
            results.add(new Throughput(threads, s, rates, c));
            System.out.printf(Locale.ROOT, "Kiln micro-batch, %d thread%s: %.2f M events/s (min %.2f, max %.2f), %.2f M events/s per core; "
                            + "%.2f M events per CPU-second (min %.2f, max %.2f)%n",
                    threads, threads == 1 ? "" : "s", s.median() / 1e6, s.min() / 1e6, s.max() / 1e6, s.median() / 1e6 / threads,
                    c.median() / 1e6, c.min() / 1e6, c.max() / 1e6);
        }
        Latency lat = o.latencyEvents() > 0 ? latencyRun(gen, o.rate(), Math.min(o.latencyEvents(), o.events()), Trigger.processingTime(Duration.ZERO)) : null;
        if (lat != null) {
            System.out.printf(Locale.ROOT, "Kiln micro-batch at %d events/s (after %.0f s of warm-up): event-to-sink latency p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d batches%n",
                    lat.rate(), WARMUP_SECONDS, lat.p50Millis(), lat.p99Millis(), lat.maxMillis(), lat.batches());
        }
        Latency cont = o.latencyEvents() > 0 ? latencyRun(gen, o.rate(), Math.min(o.latencyEvents(), o.events()), Trigger.continuous(Duration.ofSeconds(5))) : null;
        if (cont != null) {
            System.out.printf(Locale.ROOT, "Kiln continuous (epochs of 5 s) at %d events/s (after %.0f s of warm-up): event-to-sink latency p50 %.3f ms, p99 %.3f ms, max %.2f ms over %d tiny batches%n",
                    cont.rate(), WARMUP_SECONDS, cont.p50Millis(), cont.p99Millis(), cont.maxMillis(), cont.batches());
        }
        SameSource vsSpark = o.spark() ? sparkComparison(o) : null;
        Files.createDirectories(o.out());
        Path report = o.out().resolve("ysb-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        StringBuilder sb = new StringBuilder("{\n  \"events\": ").append(o.events()).append(",\n  \"kiln_microbatch\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Throughput t = results.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"threads\": %d, \"events_per_s_median\": %.0f, \"min\": %.0f, \"max\": %.0f, \"per_core\": %.0f, \"runs\": %s, "
                            + "\"events_per_cpu_s_median\": %.0f, \"cpu_min\": %.0f, \"cpu_max\": %.0f}%s%n",
                    t.threads(), t.eventsPerSecond().median(), t.eventsPerSecond().min(), t.eventsPerSecond().max(), t.eventsPerSecond().median() / t.threads(),
                    t.runs().stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList(),
                    t.eventsPerCpuSecond().median(), t.eventsPerCpuSecond().min(), t.eventsPerCpuSecond().max(), i + 1 < results.size() ? "," : ""));
        }
        sb.append("  ]");
        if (lat != null) {
            sb.append(String.format(Locale.ROOT, ",%n  \"kiln_microbatch_latency\": {\"rate\": %d, \"events\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}",
                    lat.rate(), lat.events(), lat.p50Millis(), lat.p99Millis(), lat.maxMillis()));
        }
        if (cont != null) {
            sb.append(String.format(Locale.ROOT, ",%n  \"kiln_continuous_latency\": {\"rate\": %d, \"events\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"batches\": %d}",
                    cont.rate(), cont.events(), cont.p50Millis(), cont.p99Millis(), cont.maxMillis(), cont.batches()));
        }
        if (vsSpark != null) {
            sb.append(String.format(Locale.ROOT, ",%n  \"same_files\": {\"events\": %d, \"files\": %d, \"cores\": 2, \"kiln_events_per_s\": %s, \"spark_events_per_s\": %.0f, "
                    + "\"spark_steady_events_per_s\": %.0f, \"spark_version\": \"%s\", \"kiln_over_spark\": %.2f}",
                    vsSpark.events(), vsSpark.files(), vsSpark.kiln().toString(), vsSpark.spark().eventsPerSecond(), vsSpark.spark().steadyEventsPerSecond(),
                    vsSpark.spark().sparkVersion(), vsSpark.kiln().median() / vsSpark.spark().eventsPerSecond()));
            sb.append(String.format(Locale.ROOT, ",%n  \"same_kafka_topic\": {\"events\": %d, \"partitions\": 2, \"cores\": 2, \"kiln_events_per_s\": %s, \"spark_events_per_s\": %.0f, \"kiln_over_spark\": %.2f}",
                    vsSpark.kafkaEvents(), vsSpark.kilnKafka().toString(), vsSpark.sparkKafka().eventsPerSecond(), vsSpark.kilnKafka().median() / vsSpark.sparkKafka().eventsPerSecond()));
        }
        sb.append("\n}\n");
        Files.writeString(report, sb.toString());
        System.out.println("Report: " + report);
        return 0;
    }

    record SameSource(long events, int files, Stats kiln, YsbSparkPeer.Result spark, long kafkaEvents, Stats kilnKafka, YsbSparkPeer.Result sparkKafka) {}

    /**
     * Kiln and Spark Structured Streaming (local[2]) over the same JSON-lines files in a directory
     * (each with its file source), 2 cores each; both answers are checked against the plain count.
     */
    private static SameSource sparkComparison(Options o) throws IOException, InterruptedException {
        int files = 10;
        long events = Math.min(o.events(), 2_000_000);
        YsbGenerator gen = new YsbGenerator(42, 1_700_000_000_000L, 10_000);
        Path dir = Files.createTempDirectory("kiln-ysb-files-");
        try {
            Path input = Files.createDirectories(dir.resolve("events"));
            YsbSparkPeer.writeEventFiles(gen, events, files, input);
            Path campaigns = dir.resolve("campaigns.csv");
            YsbSparkPeer.writeCampaigns(gen, campaigns);
            Map<YsbSparkPeer.Window, Long> expected = YsbSparkPeer.expectedCounts(gen, 0, events);
            System.out.printf(Locale.ROOT, "Same source: %d events in %d JSON-lines files, read by each system's file source, 2 cores each%n", events, files);
            YsbSparkPeer.Result spark = YsbSparkPeer.run(YsbSparkPeer.Config.files(input, campaigns, dir.resolve("spark-counts.csv")).cores(2).watermarkMillis(1000));
            if (!YsbSparkPeer.readCounts(spark.output()).equals(expected)) throw new KilnException("YSB: Spark's counts differ from the plain count");
            List<Double> rates = new ArrayList<>();
            for (int run = 0; run <= o.runs(); run++) {
                double eps = filesRun(gen, input, dir.resolve("meta-" + run), events, expected);
                if (run > 0) rates.add(eps);
            }
            Stats kiln = Stats.of(rates);
            System.out.printf(Locale.ROOT, "  Kiln (2 threads):   %.2f M events/s (min %.2f, max %.2f)%n", kiln.median() / 1e6, kiln.min() / 1e6, kiln.max() / 1e6);
            System.out.printf(Locale.ROOT, "  Spark %s local[2]: %.2f M events/s in %d micro-batch%s%s%n", spark.sparkVersion(),
                    spark.eventsPerSecond() / 1e6, spark.batches(), spark.batches() == 1 ? "" : "es",
                    Double.isNaN(spark.steadyEventsPerSecond()) ? "" : String.format(Locale.ROOT, " (%.2f M/s after its first)", spark.steadyEventsPerSecond() / 1e6));
            System.out.printf(Locale.ROOT, "  Kiln / Spark: %.1fx%n", kiln.median() / spark.eventsPerSecond());
            // the same events in a Kafka topic (2 partitions), read by each system's Kafka source
            long kafkaEvents = Math.min(events, 1_000_000);
            Map<YsbSparkPeer.Window, Long> expectedKafka = YsbSparkPeer.expectedCounts(gen, 0, kafkaEvents);
            try (dev.kiln.connectors.kafka.EmbeddedKafka broker = dev.kiln.connectors.kafka.EmbeddedKafka.start()) {
                broker.createTopic("ysb", 2);
                try {
                    YsbSparkPeer.produceEvents(broker.bootstrapServers(), "ysb", 2, gen, kafkaEvents, 0);
                } catch (Exception e) {
                    throw new KilnException("cannot load the YSB events into the embedded Kafka broker: " + e, e);
                }
                System.out.printf(Locale.ROOT, "Same source: %d events in a Kafka topic of 2 partitions (an embedded broker), 2 cores each%n", kafkaEvents);
                YsbSparkPeer.Result sk = YsbSparkPeer.run(YsbSparkPeer.Config.kafka(broker.bootstrapServers(), "ysb", campaigns, dir.resolve("spark-kafka.csv"))
                        .cores(2).watermarkMillis(1000));
                if (!YsbSparkPeer.readCounts(sk.output()).equals(expectedKafka)) throw new KilnException("YSB: Spark's counts over Kafka differ from the plain count");
                List<Double> kr = new ArrayList<>();
                for (int run = 0; run <= o.runs(); run++) {
                    double eps = kafkaRun(gen, broker.bootstrapServers(), kafkaEvents, expectedKafka);
                    if (run > 0) kr.add(eps);
                }
                Stats kk = Stats.of(kr);
                System.out.printf(Locale.ROOT, "  Kiln (2 threads):   %.2f M events/s (min %.2f, max %.2f)%n", kk.median() / 1e6, kk.min() / 1e6, kk.max() / 1e6);
                System.out.printf(Locale.ROOT, "  Spark %s local[2]: %.2f M events/s in %d micro-batch%s%n", sk.sparkVersion(), sk.eventsPerSecond() / 1e6, sk.batches(),
                        sk.batches() == 1 ? "" : "es");
                System.out.printf(Locale.ROOT, "  Kiln / Spark: %.1fx%n", kk.median() / sk.eventsPerSecond());
                return new SameSource(events, files, kiln, spark, kafkaEvents, kk, sk);
            }
        } finally {
            dev.kiln.connectors.LocalServers.deleteTree(dir);
        }
    }

    /** Kiln over the topic with its Kafka source (JSON values); events per second from start to the end of the last batch. */
    private static double kafkaRun(YsbGenerator gen, String bootstrap, long events, Map<YsbSparkPeer.Window, Long> expected) throws IOException, InterruptedException {
        return sourceRun(gen, new dev.kiln.connectors.kafka.KafkaSource(bootstrap, "ysb", YsbGenerator.EVENT_SCHEMA,
                new dev.kiln.connectors.kafka.JsonRecordDecoder(YsbGenerator.EVENT_SCHEMA)), events, expected, "Kafka");
    }

    /** Kiln over the files with its directory source; events per second from start to the end of the last batch. */
    private static double filesRun(YsbGenerator gen, Path input, Path meta, long events, Map<YsbSparkPeer.Window, Long> expected) throws IOException, InterruptedException {
        return sourceRun(gen, new dev.kiln.connectors.files.DirectorySource(input, dev.kiln.connectors.files.FileFormat.json(YsbGenerator.EVENT_SCHEMA), meta,
                dev.kiln.connectors.files.DirectoryOptions.defaults().renamedIntoPlace()), events, expected, "the files");
    }

    /** The YSB query over all of a source's events on 2 threads (available-now), its counts checked; events per second. */
    private static double sourceRun(YsbGenerator gen, dev.kiln.runtime.stream.StreamSource src, long events, Map<YsbSparkPeer.Window, Long> expected, String what)
            throws IOException, InterruptedException {
        Path ckpt = Files.createTempDirectory("kiln-ysb-ck-");
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2)); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            kiln.registerTable(gen.campaigns(mem).withName("campaigns"));
            kiln.readStream().source(src).eventTime("event_time", Duration.ofSeconds(1)).load("events");
            MemorySink sink = new MemorySink("counts");
            long t0 = System.nanoTime();
            StreamingQuery q = kiln.writeStream(QUERY).outputMode(OutputMode.UPDATE).trigger(Trigger.availableNow()).checkpointLocation(ckpt).to(sink).start();
            q.awaitTermination();
            double seconds = (System.nanoTime() - t0) / 1e9;
            q.close();
            checkWindows(sink, expected, what);
            return events / seconds;
        } finally {
            src.close();
            dev.kiln.connectors.LocalServers.deleteTree(ckpt);
        }
    }

    private static void checkWindows(MemorySink sink, Map<YsbSparkPeer.Window, Long> expected, String what) {
        Map<YsbSparkPeer.Window, Long> got = new HashMap<>();
        for (Object[] r : sink.rows()) {
            got.put(new YsbSparkPeer.Window((String) r[0], dev.kiln.runtime.stream.RowCodec.micros((java.time.LocalDateTime) r[1]) / 1000), (Long) r[2]);
        }
        if (!got.equals(expected)) throw new KilnException("YSB: Kiln's counts over " + what + " differ from the plain count: " + got.size() + " windows, not " + expected.size());
    }


    /** CPU time of the whole process so far, in nanoseconds. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        throw new KilnException("this JVM does not report process CPU time (com.sun.management.OperatingSystemMXBean); the YSB benchmark needs it");
    }

    /** One run over all events: events per second (wall clock and process CPU) from start to the last batch committed; the counts are checked. */
    private static Rate throughputRun(YsbGenerator gen, byte[] json, int threads, long batch, Map<String, Long> expected) throws InterruptedException {
        ExecutorService parse = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        Path ckpt = null;
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(threads)); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            kiln.registerTable(gen.campaigns(mem).withName("campaigns"));
            JsonMemorySource src = new JsonMemorySource("events", YsbGenerator.EVENT_SCHEMA, BadRecordPolicy.SKIP_AND_REPORT, parse, threads);
            src.append(json);
            kiln.readStream().source(src).eventTime("event_time", Duration.ofSeconds(1)).load("events");
            MemorySink sink = new MemorySink("counts");
            ckpt = Files.createTempDirectory("kiln-ysb-");
            long t0 = System.nanoTime(), cpu0 = processCpuNanos();
            StreamingQuery q = kiln.writeStream(QUERY).outputMode(OutputMode.UPDATE).trigger(Trigger.availableNow()).maxRowsPerBatch(batch)
                    .checkpointLocation(ckpt).to(sink).start();
            long[] phases = new long[5]; // batches, read, run, sink, commit
            if (Boolean.getBoolean("kiln.ysb.phases")) {
                q.addProgressListener(p -> {
                    phases[0]++;
                    phases[1] += p.phaseNanos().read();
                    phases[2] += p.phaseNanos().run();
                    phases[3] += p.phaseNanos().sink();
                    phases[4] += p.phaseNanos().commit();
                });
            }
            q.awaitTermination();
            double seconds = (System.nanoTime() - t0) / 1e9, cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            if (Boolean.getBoolean("kiln.ysb.phases")) {
                System.out.println("  phases over " + phases[0] + " batches: " + new StreamingProgress.Phases(phases[1], phases[2], phases[3], phases[4]));
            }
            q.close();
            check(sink, expected);
            return json.length == 0 ? new Rate(0, 0) : new Rate(src.lines() / seconds, src.lines() / cpuSeconds);
        } catch (IOException e) {
            throw new KilnException("cannot make a checkpoint directory: " + e.getMessage(), e);
        } finally {
            if (parse != null) parse.shutdownNow();
            if (ckpt != null) dev.kiln.connectors.LocalServers.deleteTree(ckpt);
        }
    }

    /** The source reveals events at {@code rate} per second; the latency of event i is when its batch's write returned minus when it became readable. */
    private static Latency latencyRun(YsbGenerator gen, long rate, long events, Trigger trigger) throws InterruptedException, IOException {
        byte[] json = gen.jsonLines(0, events);
        Path ckpt = Files.createTempDirectory("kiln-ysb-lat-");
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(1)); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            kiln.registerTable(gen.campaigns(mem).withName("campaigns"));
            JsonMemorySource src = new JsonMemorySource("events", YsbGenerator.EVENT_SCHEMA);
            src.append(json);
            src.startClock(rate);
            kiln.readStream().source(src).eventTime("event_time", Duration.ofSeconds(1)).load("events");
            MemorySink sink = new MemorySink("counts");
            StreamingQuery q = kiln.writeStream(QUERY).outputMode(OutputMode.UPDATE).trigger(trigger).checkpointLocation(ckpt).to(sink).start();
            Batches batches = new Batches();
            q.addProgressListener(batches::add);
            while (batches.lastEnd() < events) {
                if (q.exception().isPresent()) q.awaitTermination();
                Thread.sleep(20);
            }
            q.stop();
            check(sink, expected(gen, json));
            int n = batches.count();
            // every event's latency: the batch it was in, written at sinkWrittenAt
            List<double[]> spans = new ArrayList<>(); // {latency ms, events}
            long from = 0;
            long measuredFrom = (long) (WARMUP_SECONDS * rate);
            for (int b = 0; b < n; b++) {
                long to = batches.end[b];
                if (to <= measuredFrom) {
                    from = to;
                    continue;
                }
                for (long i = Math.max(from, measuredFrom); i < to; i += Math.max(1, (to - from) / 64)) { // sample each batch at up to 64 points
                    long k = Math.min(to - i, Math.max(1, (to - from) / 64));
                    spans.add(new double[] {(batches.writtenAt[b] - src.visibleAtNanos(i)) / 1e6, k});
                }
                from = to;
            }
            spans.sort((a, b) -> Double.compare(a[0], b[0]));
            if (Boolean.getBoolean("kiln.ysb.phases")) {
                int skip = n / 3;
                long[] d = java.util.Arrays.copyOfRange(batches.duration, skip, n), rd = java.util.Arrays.copyOfRange(batches.read, skip, n),
                        rn = java.util.Arrays.copyOfRange(batches.run, skip, n), rows = java.util.Arrays.copyOfRange(batches.rows, skip, n);
                for (long[] a : List.of(d, rd, rn, rows)) java.util.Arrays.sort(a);
                long t0 = batches.writtenAt[0];
                StringBuilder slow = new StringBuilder();
                for (int b = 0; b < n; b++) {
                    if (batches.duration[b] > 1_000_000 && slow.length() < 2000) {
                        slow.append(String.format(Locale.ROOT, " %.2fs:%.1fms(read %.1f, run %.1f)", (batches.writtenAt[b] - t0) / 1e9, batches.duration[b] / 1e6,
                                batches.read[b] / 1e6, batches.run[b] / 1e6));
                    }
                }
                System.out.println("  batches over 1 ms:" + slow);
                // stalls: runs of batches whose oldest event waited over 1 ms, as (start s, length ms, worst ms)
                StringBuilder stalls = new StringBuilder();
                long prevEnd = 0;
                int stallCount = 0;
                double stallFrom = -1, worst = 0, stallLast = 0;
                for (int b = 0; b < n; b++) {
                    double oldest = (batches.writtenAt[b] - src.visibleAtNanos(prevEnd)) / 1e6;
                    double at = (batches.writtenAt[b] - t0) / 1e9;
                    prevEnd = batches.end[b];
                    if (oldest > 1) {
                        if (stallFrom < 0) stallFrom = at;
                        worst = Math.max(worst, oldest);
                        stallLast = at;
                    } else if (stallFrom >= 0) {
                        stallCount++;
                        if (stalls.length() < 3000) stalls.append(String.format(Locale.ROOT, " %.3fs+%.1fms(%.1f)", stallFrom, (stallLast - stallFrom) * 1e3, worst));
                        stallFrom = -1;
                        worst = 0;
                    }
                }
                System.out.println("  " + stallCount + " stalls:" + stalls);
                System.out.printf(Locale.ROOT, "  batch time p50 %.3f p99 %.3f max %.3f ms; read p50 %.3f p99 %.3f; run p50 %.3f p99 %.3f; rows p50 %d p99 %d%n",
                        d[d.length / 2] / 1e6, d[(int) (d.length * 0.99)] / 1e6, d[d.length - 1] / 1e6, rd[rd.length / 2] / 1e6, rd[(int) (rd.length * 0.99)] / 1e6,
                        rn[rn.length / 2] / 1e6, rn[(int) (rn.length * 0.99)] / 1e6, rows[rows.length / 2], rows[(int) (rows.length * 0.99)]);
            }
            return new Latency(rate, events, percentile(spans, 0.5), percentile(spans, 0.99), spans.isEmpty() ? 0 : spans.getLast()[0], n);
        } finally {
            dev.kiln.connectors.LocalServers.deleteTree(ckpt);
        }
    }

    /**
     * What the latency run needs of every batch, kept in arrays by a progress listener on the
     * query's thread (a continuous query makes thousands of batches a second; keeping their
     * progress objects would itself load the garbage collector being measured).
     */
    private static final class Batches {
        long[] end = new long[1024], writtenAt = new long[1024], duration = new long[1024], read = new long[1024], run = new long[1024], rows = new long[1024];
        private int n;
        private volatile long lastEnd;

        synchronized void add(StreamingProgress p) {
            if (n == end.length) {
                end = java.util.Arrays.copyOf(end, 2 * n);
                writtenAt = java.util.Arrays.copyOf(writtenAt, 2 * n);
                duration = java.util.Arrays.copyOf(duration, 2 * n);
                read = java.util.Arrays.copyOf(read, 2 * n);
                run = java.util.Arrays.copyOf(run, 2 * n);
                rows = java.util.Arrays.copyOf(rows, 2 * n);
            }
            long e = Long.parseLong(p.endOffsets().getOrDefault("events", Long.toString(lastEnd)));
            end[n] = e;
            writtenAt[n] = p.sinkWrittenAt();
            duration[n] = p.durationNanos();
            read[n] = p.phaseNanos().read();
            run[n] = p.phaseNanos().run();
            rows[n] = p.inputRows();
            n++;
            lastEnd = e;
        }

        long lastEnd() {
            return lastEnd;
        }

        synchronized int count() {
            return n;
        }
    }

    private static double percentile(List<double[]> sorted, double q) {
        double total = 0;
        for (double[] s : sorted) total += s[1];
        double seen = 0;
        for (double[] s : sorted) {
            seen += s[1];
            if (seen >= q * total) return s[0];
        }
        return sorted.isEmpty() ? 0 : sorted.getLast()[0];
    }

    /** The batch query's counts over the same events: (campaign, window start) -> count. */
    private static Map<String, Long> expected(YsbGenerator gen, byte[] json) {
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            var parsed = new dev.kiln.connectors.json.JsonLinesReader(YsbGenerator.EVENT_SCHEMA, BadRecordPolicy.FAIL).read(json, "ysb", mem);
            batch.registerTable(new dev.kiln.runtime.vector.Table("events", YsbGenerator.EVENT_SCHEMA, parsed.batches()));
            batch.registerTable(gen.campaigns(mem).withName("campaigns"));
            Map<String, Long> out = new HashMap<>();
            try (QueryResult r = batch.sql(QUERY)) {
                for (Object[] row : r.rows()) out.put(row[0] + "@" + row[1], (Long) row[2]);
            }
            return out;
        }
    }

    private static void check(MemorySink sink, Map<String, Long> expected) {
        Map<String, Long> got = new HashMap<>();
        for (Object[] row : sink.rows()) got.put(row[0] + "@" + row[1], (Long) row[2]);
        if (!got.equals(expected)) {
            throw new KilnException("YSB: Kiln's streaming counts differ from the batch query's: " + got.size() + " windows instead of " + expected.size());
        }
    }


    private YsbBench() {}
}
