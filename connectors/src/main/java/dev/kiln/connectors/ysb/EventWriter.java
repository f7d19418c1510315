package dev.kiln.connectors.ysb;

import java.nio.charset.StandardCharsets;

/**
 * Writes one YSB event as a JSON line from its draws, with the constant text around the values
 * prepared once (including one piece per (ad_type, event_type) pair), so an event is a few
 * array copies and table look-ups (hex and decimal digits two at a time, ip octets whole).
 */
final class EventWriter {
    /** the two lowercase hex digits of each byte value */
    private static final byte[] HEX_PAIRS = new byte[512];
    /** the two decimal digits of 0..99 */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    /** the decimal text of 0..255 followed by '.', for ip addresses */
    private static final byte[][] OCTETS = new byte[256][];
    private static final byte[] USER = ascii("{\"user_id\":\"");
    private static final byte[] PAGE = ascii("\",\"page_id\":\"");
    private static final byte[] AD = ascii("\",\"ad_id\":\"");
    private static final byte[] IP = ascii(",\"ip_address\":\"");
    private static final byte[] END = ascii("\"}\n");
    /** {@code ","ad_type":"<a>","event_type":"<e>","event_time":} for each pair */
    private static final byte[][] TYPES = new byte[YsbGenerator.AD_TYPES.size() * YsbGenerator.EVENT_TYPES.size()][];
    static final int MAX_BYTES;

    static {
        byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 256; i++) {
            HEX_PAIRS[2 * i] = hex[i >> 4];
            HEX_PAIRS[2 * i + 1] = hex[i & 15];
            OCTETS[i] = ascii(i + ".");
        }
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
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
        for (int shift = 56; shift >= 32; shift -= 8) p = put(OCTETS[(int) (ip >>> shift & 255)], b, p);
        return put(END, b, p - 1); // over the last octet's '.'
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
        for (long pow = 10; digits < 19 && v >= pow; pow *= 10) digits++;
        int i = p + digits;
        for (; v >= 100; v /= 100) { // two digits a step: half the divisions
            int r = (int) (v % 100) * 2;
            b[--i] = DIGIT_PAIRS[r + 1];
            b[--i] = DIGIT_PAIRS[r];
        }
        if (v >= 10) {
            b[--i] = DIGIT_PAIRS[(int) v * 2 + 1];
            b[--i] = DIGIT_PAIRS[(int) v * 2];
        } else {
            b[--i] = (byte) ('0' + v);
        }
        return p + digits;
    }

    /** 8-4-4-4-12 lowercase hex of (hi, lo) with version 4 and variant 10 set, as java.util.UUID prints it. */
    static int uuid(long hi, long lo, byte[] b, int p) {
        hi = hi & ~0xF000L | 0x4000L;
        lo = lo & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        p = hex(hi >>> 32, 4, b, p);
        b[p++] = '-';
        p = hex(hi >>> 16, 2, b, p);
        b[p++] = '-';
        p = hex(hi, 2, b, p);
        b[p++] = '-';
        p = hex(lo >>> 48, 2, b, p);
        b[p++] = '-';
        return hex(lo, 6, b, p);
    }

    /** The low {@code bytes} bytes of v as 2 * bytes hex digits, most significant first. */
    private static int hex(long v, int bytes, byte[] b, int p) {
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            int x = (int) (v >>> shift & 255) * 2;
            b[p++] = HEX_PAIRS[x];
            b[p++] = HEX_PAIRS[x + 1];
        }
        return p;
    }
}
