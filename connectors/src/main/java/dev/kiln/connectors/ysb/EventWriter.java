package dev.kiln.connectors.ysb;

import java.nio.charset.StandardCharsets;

/**
 * Writes one YSB event as a JSON line from its draws, with the constant text around the values
 * prepared once (including one piece per (ad_type, event_type) pair), so an event is a few
 * array copies, 64 hex digits, a number and an ip address: far cheaper than parsing it again.
 */
final class EventWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER = ascii("{\"user_id\":\"");
    private static final byte[] PAGE = ascii("\",\"page_id\":\"");
    private static final byte[] AD = ascii("\",\"ad_id\":\"");
    private static final byte[] IP = ascii(",\"ip_address\":\"");
    private static final byte[] END = ascii("\"}\n");
    /** {@code ","ad_type":"<a>","event_type":"<e>","event_time":} for each pair */
    private static final byte[][] TYPES = new byte[YsbGenerator.AD_TYPES.size() * YsbGenerator.EVENT_TYPES.size()][];
    static final int MAX_BYTES;

    static {
        int longest = 0;
        for (int a = 0; a < YsbGenerator.AD_TYPES.size(); a++) {
            for (int e = 0; e < YsbGenerator.EVENT_TYPES.size(); e++) {
                byte[] t = ascii("\",\"ad_type\":\"" + YsbGenerator.AD_TYPES.get(a) + "\",\"event_type\":\"" + YsbGenerator.EVENT_TYPES.get(e) + "\",\"event_time\":");
                TYPES[a * YsbGenerator.EVENT_TYPES.size() + e] = t;
                longest = Math.max(longest, t.length);
            }
        }
        MAX_BYTES = USER.length + 36 + PAGE.length + 36 + AD.length + 36 + longest + 20 + IP.length + 15 + END.length;
    }

    private final byte[][] adIds;

    EventWriter(byte[][] adIds) {
        this.adIds = adIds;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes event i (draws 8i+1..8i+8 of the seed's stream, as {@link YsbGenerator#event}) at b[p]; returns the end. */
    int write(long seed, long i, long timeMillis, byte[] b, int p) {
        long base = 8 * i;
        p = put(USER, b, p);
        p = uuid(SplitMix.draw(seed, base), SplitMix.draw(seed, base + 1), b, p);
        p = put(PAGE, b, p);
        p = uuid(SplitMix.draw(seed, base + 2), SplitMix.draw(seed, base + 3), b, p);
        p = put(AD, b, p);
        p = put(adIds[YsbGenerator.pick(SplitMix.draw(seed, base + 4), adIds.length)], b, p);
        int adType = YsbGenerator.pick(SplitMix.draw(seed, base + 5), YsbGenerator.AD_TYPES.size());
        int eventType = YsbGenerator.pick(SplitMix.draw(seed, base + 6), YsbGenerator.EVENT_TYPES.size());
        p = put(TYPES[adType * YsbGenerator.EVENT_TYPES.size() + eventType], b, p);
        p = number(timeMillis, b, p);
        p = put(IP, b, p);
        long ip = SplitMix.draw(seed, base + 7);
        for (int shift = 56; shift > 32; shift -= 8) {
            p = number(ip >>> shift & 255, b, p);
            b[p++] = '.';
        }
        p = number(ip >>> 32 & 255, b, p);
        return put(END, b, p);
    }

    private static int put(byte[] src, byte[] b, int p) {
        System.arraycopy(src, 0, b, p, src.length);
        return p + src.length;
    }

    static int number(long v, byte[] b, int p) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) return put(ascii(Long.toString(v)), b, p);
            b[p++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        for (int i = p + digits - 1; i >= p; i--, v /= 10) b[i] = (byte) ('0' + v % 10);
        return p + digits;
    }

    /** 8-4-4-4-12 lowercase hex of (hi, lo) with version 4 and variant 10 set, as java.util.UUID prints it. */
    static int uuid(long hi, long lo, byte[] b, int p) {
        hi = hi & ~0xF000L | 0x4000L;
        lo = lo & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        p = hex(hi >>> 32, 8, b, p);
        b[p++] = '-';
        p = hex(hi >>> 16, 4, b, p);
        b[p++] = '-';
        p = hex(hi, 4, b, p);
        b[p++] = '-';
        p = hex(lo >>> 48, 4, b, p);
        b[p++] = '-';
        return hex(lo, 12, b, p);
    }

    private static int hex(long v, int digits, byte[] b, int p) {
        for (int i = p + digits - 1; i >= p; i--, v >>>= 4) b[i] = HEX[(int) (v & 15)];
        return p + digits;
    }
}
