package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.ir.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher side of the Spark YSB peer without Spark: its command line, the figures it parses, the counts files. */
class YsbSparkPeerTest {
    @TempDir Path dir;

    @Test
    void commandLinesNameEveryOption() {
        YsbSparkPeer.Config files = YsbSparkPeer.Config.files(dir, dir.resolve("c.csv"), dir.resolve("out.csv")).cores(4).maxPerTrigger(1);
        assertEquals(List.of("--source", "files", "--input", dir.toAbsolutePath().toString(), "--campaigns", dir.resolve("c.csv").toAbsolutePath().toString(),
                "--output", dir.resolve("out.csv").toAbsolutePath().toString(), "--cores", "4", "--watermark-ms", "0", "--max-per-trigger", "1",
                "--timeout-s", "600", "--trigger", "available-now"), files.args());
        YsbSparkPeer.Config live = YsbSparkPeer.Config.kafka("127.0.0.1:9092", "ysb", dir.resolve("c.csv"), dir.resolve("out.csv"))
                .watermarkMillis(1000).live(500);
        assertTrue(live.isLive());
        List<String> a = live.args();
        assertEquals(List.of("--source", "kafka", "--bootstrap", "127.0.0.1:9092", "--topic", "ysb"), a.subList(0, 6));
        assertEquals(List.of("--trigger", "live", "--expected-events", "500"), a.subList(a.size() - 4, a.size()));
        assertTrue(String.join(" ", a).contains("--watermark-ms 1000 "));
    }

    @Test
    void badConfigsAreRefused() {
        Path c = dir.resolve("c.csv");
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.files(dir, c, c).cores(0));
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.files(dir, c, c).live(10));
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.kafka("h:1", "", c, c));
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.kafka("h:1", "t", c, c).live(0));
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.files(dir, c, c).heap("lots"));
        assertThrows(IllegalArgumentException.class, () -> YsbSparkPeer.Config.files(dir, c, c).watermarkMillis(-1));
    }

    @Test
    void figuresParseIntoTheResult() {
        Map<String, String> f = new HashMap<>();
        f.put("VERSION", "4.1.1");
        f.put("STARTED", "1700000000000");
        f.put("EVENTS", "1000000");
        f.put("SOURCE_ROWS", "333000");
        f.put("STREAM_SECONDS", "12.500");
        f.put("EVENTS_PER_SECOND", "80000.0");
        f.put("EVENTS_PER_SECOND_PER_CORE", "40000.0");
        f.put("CORES", "2");
        f.put("BATCHES", "10");
        f.put("BATCH_MS_P50", "900.0");
        f.put("BATCH_MS_P99", "4000.0");
        f.put("BATCH_MS_MAX", "4000.0");
        f.put("FIRST_BATCH_MS", "4000.0");
        f.put("STEADY_EVENTS_PER_SECOND", "100000.0");
        f.put("STEADY_EVENTS_PER_SECOND_PER_CORE", "50000.0");
        f.put("WINDOWS", "1000");
        f.put("OUTPUT", "/tmp/counts.csv");
        YsbSparkPeer.Result r = YsbSparkPeer.parse(f);
        assertEquals("4.1.1", r.sparkVersion());
        assertEquals(1_000_000, r.events());
        assertEquals(333_000, r.sourceRows());
        assertEquals(12.5, r.seconds());
        assertEquals(40_000.0, r.eventsPerSecondPerCore());
        assertEquals(10, r.batches());
        assertEquals(900.0, r.batchMsP50());
        assertEquals(4000.0, r.batchMsP99());
        assertEquals(50_000.0, r.steadyEventsPerSecondPerCore());
        assertFalse(r.latencyMsP50().isPresent(), "latency only from live Kafka runs");
        assertEquals(Path.of("/tmp/counts.csv"), r.output());

        f.put("LATENCY_MS_P50", "850.0");
        f.put("LATENCY_MS_P99", "1900.0");
        f.put("LATENCY_WINDOWS", "300");
        r = YsbSparkPeer.parse(f);
        assertEquals(850.0, r.latencyMsP50().getAsDouble());
        assertEquals(1900.0, r.latencyMsP99().getAsDouble());
        assertEquals(300, r.latencyWindows());

        f.remove("EVENTS");
        assertThrows(KilnException.class, () -> YsbSparkPeer.parse(f));
    }

    @Test
    void campaignsAndCountsFilesRoundTrip() throws Exception {
        YsbGenerator gen = new YsbGenerator(42, 1_700_000_000_000L, 1000);
        Path campaigns = dir.resolve("campaigns.csv");
        YsbSparkPeer.writeCampaigns(gen, campaigns);
        List<String> lines = Files.readAllLines(campaigns);
        assertEquals("ad_id,campaign_id", lines.getFirst());
        assertEquals(YsbGenerator.CAMPAIGNS * YsbGenerator.ADS_PER_CAMPAIGN + 1, lines.size());
        assertEquals(gen.adIds().get(13) + "," + gen.campaignIds().get(1), lines.get(14));

        Path counts = dir.resolve("counts.csv");
        Files.writeString(counts, "campaign_id,window_start,count\nc1,1700000000000,5\nc1,1700000010000,7\nc2,1700000000000,1\n");
        Map<YsbSparkPeer.Window, Long> read = YsbSparkPeer.readCounts(counts);
        assertEquals(Map.of(new YsbSparkPeer.Window("c1", 1_700_000_000_000L), 5L, new YsbSparkPeer.Window("c1", 1_700_000_010_000L), 7L,
                new YsbSparkPeer.Window("c2", 1_700_000_000_000L), 1L), read);
        Files.writeString(counts, "campaign_id,window_start,count\nc1,1700000000000,5\nc1,1700000000000,6\n");
        assertThrows(KilnException.class, () -> YsbSparkPeer.readCounts(counts));
        Files.writeString(counts, "a,b\n");
        assertThrows(KilnException.class, () -> YsbSparkPeer.readCounts(counts));
    }

    @Test
    void expectedCountsAreTheViewsPerCampaignAndWindow() {
        // 1000 events per second: 25,000 events span 25 s, windows starting at +0, +10, +20 s
        YsbGenerator gen = new YsbGenerator(7, 1_700_000_000_000L, 1000);
        Map<YsbSparkPeer.Window, Long> counts = YsbSparkPeer.expectedCounts(gen, 0, 25_000);
        long views = 0;
        for (long i = 0; i < 25_000; i++) if (gen.event(i).eventType().equals("view")) views++;
        assertEquals(views, counts.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(views > 7_000 && views < 9_700, "about a third are views: " + views);
        assertEquals(3 * YsbGenerator.CAMPAIGNS, counts.size());
        for (YsbSparkPeer.Window w : counts.keySet()) {
            assertTrue(gen.campaignIds().contains(w.campaignId()));
            assertTrue(List.of(1_700_000_000_000L, 1_700_000_010_000L, 1_700_000_020_000L).contains(w.windowStartMillis()));
        }
        // the last window holds 5 s of events, the others 10 s
        long last = counts.entrySet().stream().filter(e -> e.getKey().windowStartMillis() == 1_700_000_020_000L).mapToLong(Map.Entry::getValue).sum();
        assertTrue(last > views / 6 && last < views / 4, "last window: " + last);
    }
}
