package dev.kiln.benchmarks;

import dev.kiln.connectors.kafka.EmbeddedKafka;
import dev.kiln.connectors.ysb.YsbGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A runnable check of the Spark YSB peer (not a unit test: it takes minutes and downloads Spark on
 * its first run). It writes YSB events as JSON-lines files, runs {@link YsbSparkPeer} over them and
 * checks that Spark's counts equal {@link YsbSparkPeer#expectedCounts} exactly; with {@code --kafka}
 * it also starts an {@link EmbeddedKafka} broker and checks the Kafka source twice: over a topic
 * loaded beforehand (available-now, throughput) and live, with the events produced at a steady rate
 * while Spark runs (event-to-sink latency). Prints each run's figures.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp &lt;benchmarks test class path&gt; \
 *     dev.kiln.benchmarks.YsbSparkCheck [--events 1000000] [--files 10] [--cores 2] [--kafka] [--live-rate 20000] [--live-seconds 30]
 * </pre>
 *
 * Run it from the repository root (or set {@code -Dkiln.bench.sparkPeer}). Exits 1 on a mismatch.
 */
public final class YsbSparkCheck {
    private YsbSparkCheck() {}

    public static void main(String[] args) throws Exception {
        long events = 1_000_000;
        int files = 10, cores = 2;
        boolean kafka = false;
        long liveRate = 20_000, liveSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--cores" -> cores = Integer.parseInt(args[++i]);
                case "--kafka" -> kafka = true;
                case "--live-rate" -> liveRate = Long.parseLong(args[++i]);
                case "--live-seconds" -> liveSeconds = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("kiln-ysb-spark-check-");
        boolean ok = true;
        try {
            // 10,000 events per second of event time: 1M events span 100 s, 10 windows per campaign
            YsbGenerator gen = new YsbGenerator(42, 1_700_000_000_000L, 10_000);
            Path campaigns = dir.resolve("campaigns.csv");
            YsbSparkPeer.writeCampaigns(gen, campaigns);
            long t = System.nanoTime();
            Map<YsbSparkPeer.Window, Long> expected = YsbSparkPeer.expectedCounts(gen, 0, events);
            System.out.printf("oracle: %d windows over %,d events in %.1f s%n", expected.size(), events, (System.nanoTime() - t) / 1e9);

            Path input = Files.createDirectories(dir.resolve("events"));
            YsbSparkPeer.writeEventFiles(gen, events, files, input);
            YsbSparkPeer.Result files1 = YsbSparkPeer.run(YsbSparkPeer.Config.files(input, campaigns, dir.resolve("counts-files.csv")).cores(cores).maxPerTrigger(1));
            ok &= report("files, available-now, 1 file per micro-batch", files1, expected, events);
            YsbSparkPeer.Result filesAll = YsbSparkPeer.run(YsbSparkPeer.Config.files(input, campaigns, dir.resolve("counts-files-all.csv")).cores(cores));
            ok &= report("files, available-now, all files in one micro-batch", filesAll, expected, events);

            if (kafka) {
                try (EmbeddedKafka broker = EmbeddedKafka.start()) {
                    broker.createTopic("ysb", cores);
                    t = System.nanoTime();
                    YsbSparkPeer.produceEvents(broker.bootstrapServers(), "ysb", cores, gen, events, 0);
                    System.out.printf("loaded %,d events into topic ysb (%d partitions) in %.1f s%n", events, cores, (System.nanoTime() - t) / 1e9);
                    YsbSparkPeer.Result k = YsbSparkPeer.run(YsbSparkPeer.Config.kafka(broker.bootstrapServers(), "ysb", campaigns, dir.resolve("counts-kafka.csv"))
                            .cores(cores).watermarkMillis(1000).maxPerTrigger(events / files));
                    ok &= report("kafka, available-now, " + events / files + " offsets per micro-batch", k, expected, events);

                    long n = liveRate * liveSeconds;
                    broker.createTopic("ysb-live", cores);
                    try (YsbSparkPeer.Running live = YsbSparkPeer.start(YsbSparkPeer.Config.kafka(broker.bootstrapServers(), "ysb-live", campaigns,
                            dir.resolve("counts-live.csv")).cores(cores).watermarkMillis(1000).live(n))) {
                        live.awaitStarted();
                        // event times follow the wall clock from now on, as in the original benchmark;
                        // the same seed, so the same ads and campaigns
                        YsbGenerator liveGen = new YsbGenerator(gen.seed(), System.currentTimeMillis(), liveRate);
                        YsbSparkPeer.produceEvents(broker.bootstrapServers(), "ysb-live", cores, liveGen, n, liveRate);
                        YsbSparkPeer.Result r = live.await();
                        ok &= report("kafka, live at " + liveRate + " events/s for " + liveSeconds + " s", r, YsbSparkPeer.expectedCounts(liveGen, 0, n), n);
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
        System.out.println(ok ? "YSB Spark check: OK" : "YSB Spark check: FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static boolean report(String what, YsbSparkPeer.Result r, Map<YsbSparkPeer.Window, Long> expected, long events) throws IOException {
        System.out.println(what + ": " + r);
        Map<YsbSparkPeer.Window, Long> actual = YsbSparkPeer.readCounts(r.output());
        boolean ok = actual.equals(expected) && r.events() == events;
        if (!ok) {
            if (r.events() != events) System.out.println("  Spark read " + r.events() + " events, not " + events);
            TreeSet<String> diffs = new TreeSet<>();
            for (var e : expected.entrySet()) {
                Long a = actual.get(e.getKey());
                if (!e.getValue().equals(a)) diffs.add(e.getKey() + ": expected " + e.getValue() + ", Spark " + a);
            }
            for (var e : actual.entrySet()) if (!expected.containsKey(e.getKey())) diffs.add(e.getKey() + ": not expected, Spark " + e.getValue());
            System.out.println("  " + diffs.size() + " windows differ, e.g. " + diffs.stream().limit(5).toList());
        }
        System.out.println("  counts " + (ok ? "equal" : "DIFFER from") + " the plain Java computation (" + expected.size() + " windows)");
        return ok;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
