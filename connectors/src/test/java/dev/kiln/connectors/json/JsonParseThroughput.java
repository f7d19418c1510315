package dev.kiln.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Single-thread parse speed on YSB events: this reader (into off-heap columns, memory allocated
 * and freed each run) against Jackson's streaming parser over the same bytes (every token and
 * value decoded, string values as char arrays without making Strings: Jackson's cheapest way to
 * see every value). Also how fast the generator writes the events. Not a test: run it by hand,
 * e.g. {@code java -cp ... dev.kiln.connectors.json.JsonParseThroughput [events] [runs]}.
 * Times are this thread's CPU time (other processes on a busy machine do not count; every
 * contender works on this thread alone), in rounds that run each contender once, so that they
 * share the machine's moods; it prints each one's median over the measured rounds (after as
 * many warm-up rounds) and the median of the per-round speed ratios.
 */
public final class JsonParseThroughput {
    public static void main(String[] args) throws IOException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        YsbGenerator g = new YsbGenerator(1, 1_700_000_000_000L, 1_000_000);
        byte[] json = g.jsonLines(0, events);
        System.out.printf("%,d YSB events, %,d bytes (%.0f bytes each), %s, %d warm-up + %d measured rounds%n",
                events, json.length, json.length / (double) events, Runtime.version(), runs, runs);

        JsonLinesReader reader = new JsonLinesReader(YsbGenerator.EVENT_SCHEMA, BadRecordPolicy.FAIL);
        JsonFactory factory = new JsonFactory();
        byte[] out = new byte[json.length + YsbGenerator.maxEventBytes()];
        Run[] contenders = {
            () -> {
                try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE, false)) {
                    SourceBatch b = reader.read(json, "ysb", mem);
                    if (b.rowCount() != events) throw new AssertionError(b.rowCount() + " rows");
                }
            },
            () -> {
                long count = jackson(factory, json);
                if (count != events) throw new AssertionError(count + " objects");
            },
            () -> g.writeJsonLines(0, events, out, 0)
        };
        String[] names = {"kiln JsonLinesReader", "Jackson streaming JsonParser", "YsbGenerator (writing)"};
        // rounds interleave the contenders, so that a busy machine slows them alike
        double[][] seconds = new double[contenders.length][runs];
        for (int round = -runs; round < runs; round++) {
            for (int c = 0; c < contenders.length; c++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                contenders[c].run();
                if (round >= 0) seconds[c][round] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e9;
            }
        }
        double[] ratio = new double[runs];
        for (int r = 0; r < runs; r++) ratio[r] = seconds[1][r] / seconds[0][r];
        for (int c = 0; c < contenders.length; c++) report(names[c], events, json.length, median(seconds[c]));
        System.out.printf("kiln / Jackson speed, median of the rounds: %.2fx%n", median(ratio));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long sink;

    /** Every object of the buffer, every value decoded; returns the number of objects. */
    static long jackson(JsonFactory factory, byte[] json) {
        long objects = 0, acc = 0;
        try (JsonParser p = factory.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT) objects++;
                else if (t == JsonToken.VALUE_STRING) acc += p.getTextCharacters()[p.getTextOffset()] + p.getTextLength();
                else if (t == JsonToken.VALUE_NUMBER_INT) acc += p.getLongValue();
                else if (t == JsonToken.FIELD_NAME) acc += p.currentName().length();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sink += acc;
        return objects;
    }

    interface Run {
        void run() throws IOException;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static void report(String what, int events, long bytes, double seconds) {
        System.out.printf("%-30s %8.3f s cpu  %,14.0f events/s  %,8.0f MB/s%n", what, seconds, events / seconds, bytes / seconds / 1e6);
    }
}
