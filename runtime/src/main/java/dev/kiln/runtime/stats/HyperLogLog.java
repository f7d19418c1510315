package dev.kiln.runtime.stats;

/**
 * A HyperLogLog sketch (Flajolet et al. 2007) over 64-bit hashes: 2^p one-byte registers, each
 * the maximum leading-zero rank seen among the hashes routed to it; the estimate is the bias-
 * corrected harmonic mean, with linear counting while many registers are still empty. The
 * standard error is about 1.04 / sqrt(2^p) (0.8% at the default p = 14). Hashes must be well
 * mixed (e.g. {@link dev.kiln.runtime.fn.Hashing}).
 */
public final class HyperLogLog {
    public static final int DEFAULT_PRECISION = 14;
    private final int p;
    private final byte[] registers;

    public HyperLogLog() {
        this(DEFAULT_PRECISION);
    }

    public HyperLogLog(int precision) {
        if (precision < 4 || precision > 18) throw new IllegalArgumentException("HyperLogLog precision must be 4..18, not " + precision);
        this.p = precision;
        this.registers = new byte[1 << precision];
    }

    public void add(long hash) {
        int idx = (int) (hash >>> (64 - p));
        long rest = hash << p;
        // rank = position of the first 1 bit in the remaining 64-p bits (capped when they are all 0)
        int rank = rest == 0 ? 64 - p + 1 : Long.numberOfLeadingZeros(rest) + 1;
        if (rank > registers[idx]) registers[idx] = (byte) rank;
    }

    /** Adds every register of {@code other} (same precision): the sketch of the union. */
    public void merge(HyperLogLog other) {
        if (other.p != p) throw new IllegalArgumentException("cannot merge HyperLogLog sketches of precision " + p + " and " + other.p);
        for (int i = 0; i < registers.length; i++) registers[i] = (byte) Math.max(registers[i], other.registers[i]);
    }

    public double estimate() {
        int m = registers.length;
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) zeros++;
        }
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / sum;
        if (raw <= 2.5 * m && zeros > 0) return m * Math.log((double) m / zeros); // linear counting
        return raw;
    }
}
