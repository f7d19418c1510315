package dev.kiln.connectors.ysb;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The Yahoo Streaming Benchmark's events and campaigns, generated deterministically.
 *
 * <p>100 campaigns of 10 ads each; campaign and ad ids are version-4-shaped UUIDs drawn from the
 * seed. Event {@code i} is a pure function of (seed, start, rate, i): its random fields take draws
 * {@code 8i+1..8i+8} of a SplitMix64 stream of the seed, and its time is
 * {@code start + i * 1000 / eventsPerSecond} milliseconds (integer division), so any range of
 * events can be generated again, alone, exactly as before: a replayable source by offset.
 *
 * <p>An event as JSON (one line):
 * {@code {"user_id":"<uuid>","page_id":"<uuid>","ad_id":"<uuid>","ad_type":"banner","event_type":"view","event_time":1700000000000,"ip_address":"10.0.3.7"}}.
 * Unlike the original benchmark, which writes event_time as a string of milliseconds and the
 * constant ip "1.2.3.4", event_time is a JSON number (what {@link #EVENT_SCHEMA}'s TIMESTAMP
 * reads as epoch milliseconds) and the ip address varies, so a parser cannot shortcut either.
 * ad_type is uniform over {@link #AD_TYPES}, event_type over {@link #EVENT_TYPES}, ad_id over
 * the 1000 ads.
 */
public final class YsbGenerator {
    public static final int CAMPAIGNS = 100;
    public static final int ADS_PER_CAMPAIGN = 10;
    public static final List<String> AD_TYPES = List.of("banner", "modal", "sponsored-search", "mail", "mobile");
    public static final List<String> EVENT_TYPES = List.of("view", "click", "purchase");

    public static final Schema EVENT_SCHEMA = Schema.of(
            new Field("user_id", DataType.VARCHAR, false),
            new Field("page_id", DataType.VARCHAR, false),
            new Field("ad_id", DataType.VARCHAR, false),
            new Field("ad_type", DataType.VARCHAR, false),
            new Field("event_type", DataType.VARCHAR, false),
            new Field("event_time", DataType.TIMESTAMP, false),
            new Field("ip_address", DataType.VARCHAR, false));

    public static final Schema CAMPAIGN_SCHEMA = Schema.of(
            new Field("ad_id", DataType.VARCHAR, false),
            new Field("campaign_id", DataType.VARCHAR, false));

    /** One event, boxed. */
    public record Event(String userId, String pageId, String adId, String adType, String eventType, long eventTimeMillis, String ipAddress) {
        /** As a row of {@link #EVENT_SCHEMA}, boxed the way Kiln's columns give values back. */
        public Object[] toRow() {
            long ms = eventTimeMillis;
            LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
            return new Object[] {userId, pageId, adId, adType, eventType, time, ipAddress};
        }
    }

    private final long seed;
    private final long startMillis;
    private final long eventsPerSecond;
    private final String[] campaignIds = new String[CAMPAIGNS];
    private final String[] adIds = new String[CAMPAIGNS * ADS_PER_CAMPAIGN];
    private final EventWriter writer;

    public YsbGenerator(long seed, long startMillis, long eventsPerSecond) {
        if (eventsPerSecond <= 0) throw new IllegalArgumentException("events per second must be positive, not " + eventsPerSecond);
        this.seed = seed;
        this.startMillis = startMillis;
        this.eventsPerSecond = eventsPerSecond;
        // ids come from their own stream (the seed's bits flipped), apart from the events'
        long ids = ~seed;
        for (int c = 0; c < CAMPAIGNS; c++) campaignIds[c] = uuid(SplitMix.draw(ids, 2L * c), SplitMix.draw(ids, 2L * c + 1));
        for (int a = 0; a < adIds.length; a++) adIds[a] = uuid(SplitMix.draw(ids, 1000 + 2L * a), SplitMix.draw(ids, 1001 + 2L * a));
        byte[][] adBytes = new byte[adIds.length][];
        for (int a = 0; a < adIds.length; a++) adBytes[a] = adIds[a].getBytes(StandardCharsets.US_ASCII);
        writer = new EventWriter(adBytes);
    }

    public long seed() { return seed; }
    public long startMillis() { return startMillis; }
    public long eventsPerSecond() { return eventsPerSecond; }

    /** The 100 campaign ids. */
    public List<String> campaignIds() {
        return List.of(campaignIds);
    }

    /** The 1000 ad ids; ad {@code a} belongs to campaign {@code a / 10}. */
    public List<String> adIds() {
        return List.of(adIds);
    }

    /** (ad_id, campaign_id) rows of {@link #CAMPAIGN_SCHEMA}, one per ad. */
    public List<Object[]> campaignRows() {
        List<Object[]> rows = new ArrayList<>(adIds.length);
        for (int a = 0; a < adIds.length; a++) rows.add(new Object[] {adIds[a], campaignIds[a / ADS_PER_CAMPAIGN]});
        return rows;
    }

    /** The campaigns table: ad_id → campaign_id. */
    public Table campaigns(QueryMemory mem) {
        TableBuilder t = new TableBuilder("campaigns", CAMPAIGN_SCHEMA, mem);
        for (Object[] row : campaignRows()) t.appendRow(row);
        return t.build();
    }

    public long eventTimeMillis(long i) {
        if (i < 0) throw new IllegalArgumentException("event index must be >= 0, not " + i);
        return startMillis + Math.multiplyExact(i, 1000L) / eventsPerSecond;
    }

    /** Event i. */
    public Event event(long i) {
        long base = 8 * i;
        return new Event(
                uuid(SplitMix.draw(seed, base), SplitMix.draw(seed, base + 1)),
                uuid(SplitMix.draw(seed, base + 2), SplitMix.draw(seed, base + 3)),
                adIds[pick(SplitMix.draw(seed, base + 4), adIds.length)],
                AD_TYPES.get(pick(SplitMix.draw(seed, base + 5), AD_TYPES.size())),
                EVENT_TYPES.get(pick(SplitMix.draw(seed, base + 6), EVENT_TYPES.size())),
                eventTimeMillis(i),
                ip(SplitMix.draw(seed, base + 7)));
    }

    /** Events [from, to) as rows of {@link #EVENT_SCHEMA}. */
    public List<Object[]> eventRows(long from, long to) {
        List<Object[]> rows = new ArrayList<>();
        for (long i = from; i < to; i++) rows.add(event(i).toRow());
        return rows;
    }

    /** The most bytes one event's JSON line takes. */
    public static int maxEventBytes() {
        return EventWriter.MAX_BYTES;
    }

    /**
     * Writes events [from, to) as JSON lines into {@code dst} at {@code offset}; returns the end.
     * The room needed is at most {@code (to - from) * maxEventBytes()}.
     */
    public int writeJsonLines(long from, long to, byte[] dst, int offset) {
        int p = offset;
        for (long i = from; i < to; i++) {
            if (p + EventWriter.MAX_BYTES > dst.length) throw new IllegalArgumentException("no room for event " + i + " at byte " + p + " of " + dst.length);
            p = writer.write(seed, i, eventTimeMillis(i), dst, p);
        }
        return p;
    }

    /** Events [from, to) as JSON lines. */
    public byte[] jsonLines(long from, long to) {
        long room = (to - from) * EventWriter.MAX_BYTES;
        if (room > Integer.MAX_VALUE - 16) throw new IllegalArgumentException((to - from) + " events do not fit one array; generate them in parts");
        byte[] b = new byte[(int) room];
        return java.util.Arrays.copyOf(b, writeJsonLines(from, to, b, 0));
    }

    /** An index in [0, n) from a draw, without the bias of a remainder. */
    static int pick(long draw, int n) {
        return (int) Math.unsignedMultiplyHigh(draw, n);
    }

    static String ip(long draw) {
        return (draw >>> 56) + "." + (draw >>> 48 & 255) + "." + (draw >>> 40 & 255) + "." + (draw >>> 32 & 255);
    }

    /** The UUID of two draws with version 4 and the IETF variant set, as {@code java.util.UUID} writes it. */
    static String uuid(long hi, long lo) {
        byte[] b = new byte[36];
        EventWriter.uuid(hi, lo, b, 0);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
