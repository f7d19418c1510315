package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * C[M×N] = A[M×K] · B[K×N] (+ bias) on float32, blocked GotoBLAS-style: B comes packed in panels
 * NR wide ({@link PackedB}); A is packed per KC×MC block into strips MR tall (8, or 6 with
 * 16-register vector units); an MR×NR micro-kernel keeps its tile in 2·MR vector registers and does one broadcast and two FMAs per
 * row per step of k. Threads split the column panels (or the rows when there are fewer panels
 * than threads). Sums are in float32 in k order within a KC block, blocks added in order: results
 * differ from a double-precision oracle by float rounding of a K-term sum, ~K·2^-24 relative.
 */
public final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Panel width: two vectors. */
    public static final int NR = 2 * L;
    /**
     * Strip height: 8 rows (16 accumulators) with 32 vector registers (AVX-512's 512-bit
     * vectors), else 6 (12 of 16). Channel counts are mostly multiples of 8, which 6-row strips
     * padded (a layer of 8 output channels computed 12).
     */
    public static final int MR = L >= 16 ? 8 : 6;
    static final int KC = 256;
    static final int MC = 96;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private Gemm() {}

    /**
     * The A operand: at float offset {@code off} with row stride {@code lda}, or its transpose when
     * {@code trans}; {@code packed}, when not null, is the same m×k matrix already in the GEMM's
     * strip layout (constant weights are packed once, when the program compiles, not per call).
     */
    public record Operand(MemorySegment seg, long off, long lda, boolean trans, float[] packed) {
        public Operand(MemorySegment seg, long off, long lda, boolean trans) {
            this(seg, off, lda, trans, null);
        }
    }

    /**
     * The operand with its m×k matrix packed: per KC block of k (block pc at pc·mPad), MR-row strips
     * (strip at row r at r·kc within the block), k-major within a strip, rows past m zero.
     */
    public static Operand prepacked(Operand a, int m, int k) {
        int mPad = (m + MR - 1) / MR * MR;
        float[] packed = new float[mPad * k];
        float[] scratch = new float[MC * KC];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int ic = 0; ic < mPad; ic += MC) {
                int mc = Math.min(MC, m - ic);
                if (mc <= 0) break;
                packA(a, ic, mc, pc, kc, scratch);
                int strips = (mc + MR - 1) / MR;
                System.arraycopy(scratch, 0, packed, pc * mPad + ic * kc, strips * MR * kc);
            }
        }
        return new Operand(a.seg(), a.off(), a.lda(), a.trans(), packed);
    }

    /**
     * @param rowBias empty or one value per row of C (a convolution's per-channel bias)
     * @param colBias empty or one value per column of C (a linear layer's bias)
     * @param epilogue applied to each finished tile, or null for none
     */
    public static void multiply(TensorThreads threads, Operand a, PackedB b, MemorySegment c, long cOff, long ldc, int m,
                                float[] rowBias, float[] colBias, GemmEpilogue epilogue) {
        int panels = PackedB.panels(b.n);
        if (panels >= threads.threads() * 2 || m < MR * threads.threads()) {
            threads.forWork(panels, (long) m * b.k * NR, (p0, p1) -> block(a, b, c, cOff, ldc, 0, m, (int) p0, (int) p1, rowBias, colBias, epilogue));
        } else {
            int strips = (m + MR - 1) / MR;
            threads.forWork(strips, (long) MR * b.k * b.n, (s0, s1) -> block(a, b, c, cOff, ldc, (int) s0 * MR, (int) Math.min(m, s1 * MR),
                    0, panels, rowBias, colBias, epilogue));
        }
    }

    private static final ThreadLocal<float[]> PACK_A = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * 64]);

    /** Rows [m0, m1) against panels [p0, p1). */
    private static void block(Operand a, PackedB b, MemorySegment c, long cOff, long ldc, int m0, int m1, int p0, int p1,
                              float[] rowBias, float[] colBias, GemmEpilogue epilogue) {
        float[] pa = PACK_A.get();
        float[] tile = TILE.get();
        int k = b.k;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean first = pc == 0, last = pc + kc == k;
            for (int ic = m0; ic < m1; ic += MC) {
                int mc = Math.min(MC, m1 - ic);
                float[] strips = pa;
                int stripBase = 0;
                if (a.packed() != null) {
                    // strips of rows ic.. within this K block of the prepacked matrix
                    strips = a.packed();
                    stripBase = pc * (a.packed().length / k) + ic * kc;
                } else {
                    packA(a, ic, mc, pc, kc, pa);
                }
                for (int p = p0; p < p1; p++) {
                    int pbo = p * k * NR + pc * NR;
                    int col0 = p * NR, cols = Math.min(NR, b.n - col0);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int rows = Math.min(MR, mc - ir), r0 = ic + ir;
                        // the row bias starts the first K block's sums (the tile then needs no pass of its own for it)
                        float[] start = first && rowBias.length > 0 ? rowBias : NO_BIAS;
                        if (MR == 8) micro8(kc, strips, stripBase + ir * kc, b.data, pbo, tile, start, r0, rows);
                        else micro6(kc, strips, stripBase + ir * kc, b.data, pbo, tile, start, r0, rows);
                        store(tile, c, cOff, ldc, r0, rows, col0, cols, first, last, colBias, last ? epilogue : null);
                    }
                }
            }
        }
    }

    /** A[ic..ic+mc, pc..pc+kc] into MR-row strips, k-major within a strip, short strips padded with zeros. */
    private static void packA(Operand a, int ic, int mc, int pc, int kc, float[] pa) {
        MemorySegment s = a.seg();
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            for (int r = 0; r < MR; r++) {
                int row = ic + ir + r;
                if (ir + r >= mc) {
                    for (int kk = 0; kk < kc; kk++) pa[base + kk * MR + r] = 0;
                    continue;
                }
                if (!a.trans()) {
                    long off = a.off() + row * a.lda() + pc;
                    for (int kk = 0; kk < kc; kk++) pa[base + kk * MR + r] = s.getAtIndex(ValueLayout.JAVA_FLOAT, off + kk);
                } else {
                    for (int kk = 0; kk < kc; kk++) pa[base + kk * MR + r] = s.getAtIndex(ValueLayout.JAVA_FLOAT, a.off() + (pc + kk) * a.lda() + row);
                }
            }
        }
    }

    private static final float[] NO_BIAS = new float[0];

    /** Row r0 + r's start (its bias), 0 past the strip's rows or without a bias. */
    private static float start(float[] bias, int r0, int rows, int r) {
        return r < rows && bias.length > 0 ? bias[r0 + r] : 0f;
    }

    /**
     * The 8×NR tile of one A strip times one B panel slice, row r's sums started at
     * {@code bias[r0 + r]} (0 without one), into {@code tile} (row r at r·NR).
     */
    private static void micro8(int kc, float[] pa, int pao, float[] pb, int pbo, float[] tile, float[] bias, int r0, int rows) {
        FloatVector c00 = FloatVector.broadcast(S, start(bias, r0, rows, 0)), c01 = c00, c10 = FloatVector.broadcast(S, start(bias, r0, rows, 1)), c11 = c10;
        FloatVector c20 = FloatVector.broadcast(S, start(bias, r0, rows, 2)), c21 = c20, c30 = FloatVector.broadcast(S, start(bias, r0, rows, 3)), c31 = c30;
        FloatVector c40 = FloatVector.broadcast(S, start(bias, r0, rows, 4)), c41 = c40, c50 = FloatVector.broadcast(S, start(bias, r0, rows, 5)), c51 = c50;
        FloatVector c60 = FloatVector.broadcast(S, start(bias, r0, rows, 6)), c61 = c60, c70 = FloatVector.broadcast(S, start(bias, r0, rows, 7)), c71 = c70;
        for (int kk = 0; kk < kc; kk++) {
            int bo = pbo + kk * NR, ao = pao + kk * 8;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo), b1 = FloatVector.fromArray(S, pb, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[ao + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[ao + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }

    /** {@link #micro8} for 6-row strips (16 vector registers). */
    private static void micro6(int kc, float[] pa, int pao, float[] pb, int pbo, float[] tile, float[] bias, int r0, int rows) {
        FloatVector c00 = FloatVector.broadcast(S, start(bias, r0, rows, 0)), c01 = c00, c10 = FloatVector.broadcast(S, start(bias, r0, rows, 1)), c11 = c10;
        FloatVector c20 = FloatVector.broadcast(S, start(bias, r0, rows, 2)), c21 = c20, c30 = FloatVector.broadcast(S, start(bias, r0, rows, 3)), c31 = c30;
        FloatVector c40 = FloatVector.broadcast(S, start(bias, r0, rows, 4)), c41 = c40, c50 = FloatVector.broadcast(S, start(bias, r0, rows, 5)), c51 = c50;
        for (int kk = 0; kk < kc; kk++) {
            int bo = pbo + kk * NR, ao = pao + kk * 6;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo), b1 = FloatVector.fromArray(S, pb, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
    }

    /**
     * An implicit GEMM's 8-row strip of K block [pc, pc + kc) of the prepacked A ({@code mPad}
     * rows a block) against one NR-column panel of B that is not packed: step {@code kk}'s row of
     * the panel is the NR floats of {@code src} at {@code offs[kk] + q} (a convolution's padded
     * input rows, so that B is never copied into panels). Row r's sums start at
     * {@code bias[r0 + r]} for the first block, else at what the block before left in {@code out}
     * at {@code o + r·ld}, and go back there: all eight rows (rows past {@code rows} are zeros'
     * sums: the buffer has room for a padded strip).
     */
    static void direct8(int pc, int kc, float[] pa, int mPad, int row0, float[] src, int[] offs, int q, float[] out, int o, int ld, float[] bias, int r0, int rows) {
        FloatVector c00 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 0)) : FloatVector.fromArray(S, out, o), c01 = pc == 0 ? c00 : FloatVector.fromArray(S, out, o + L);
        FloatVector c10 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 1)) : FloatVector.fromArray(S, out, o + 1 * ld), c11 = pc == 0 ? c10 : FloatVector.fromArray(S, out, o + 1 * ld + L);
        FloatVector c20 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 2)) : FloatVector.fromArray(S, out, o + 2 * ld), c21 = pc == 0 ? c20 : FloatVector.fromArray(S, out, o + 2 * ld + L);
        FloatVector c30 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 3)) : FloatVector.fromArray(S, out, o + 3 * ld), c31 = pc == 0 ? c30 : FloatVector.fromArray(S, out, o + 3 * ld + L);
        FloatVector c40 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 4)) : FloatVector.fromArray(S, out, o + 4 * ld), c41 = pc == 0 ? c40 : FloatVector.fromArray(S, out, o + 4 * ld + L);
        FloatVector c50 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 5)) : FloatVector.fromArray(S, out, o + 5 * ld), c51 = pc == 0 ? c50 : FloatVector.fromArray(S, out, o + 5 * ld + L);
        FloatVector c60 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 6)) : FloatVector.fromArray(S, out, o + 6 * ld), c61 = pc == 0 ? c60 : FloatVector.fromArray(S, out, o + 6 * ld + L);
        FloatVector c70 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 7)) : FloatVector.fromArray(S, out, o + 7 * ld), c71 = pc == 0 ? c70 : FloatVector.fromArray(S, out, o + 7 * ld + L);
        int ao = pc * mPad + row0 * kc;
        for (int kk = 0; kk < kc; kk++, ao += 8) {
            int bo = offs[pc + kk] + q;
            FloatVector b0 = FloatVector.fromArray(S, src, bo), b1 = FloatVector.fromArray(S, src, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[ao + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[ao + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71);
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L);
        c10.intoArray(out, o + ld); c11.intoArray(out, o + ld + L);
        c20.intoArray(out, o + 2 * ld); c21.intoArray(out, o + 2 * ld + L);
        c30.intoArray(out, o + 3 * ld); c31.intoArray(out, o + 3 * ld + L);
        c40.intoArray(out, o + 4 * ld); c41.intoArray(out, o + 4 * ld + L);
        c50.intoArray(out, o + 5 * ld); c51.intoArray(out, o + 5 * ld + L);
        c60.intoArray(out, o + 6 * ld); c61.intoArray(out, o + 6 * ld + L);
        c70.intoArray(out, o + 7 * ld); c71.intoArray(out, o + 7 * ld + L);
    }

    /** {@link #direct8} for 6-row strips (16 vector registers). */
    static void direct6(int pc, int kc, float[] pa, int mPad, int row0, float[] src, int[] offs, int q, float[] out, int o, int ld, float[] bias, int r0, int rows) {
        FloatVector c00 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 0)) : FloatVector.fromArray(S, out, o), c01 = pc == 0 ? c00 : FloatVector.fromArray(S, out, o + L);
        FloatVector c10 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 1)) : FloatVector.fromArray(S, out, o + 1 * ld), c11 = pc == 0 ? c10 : FloatVector.fromArray(S, out, o + 1 * ld + L);
        FloatVector c20 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 2)) : FloatVector.fromArray(S, out, o + 2 * ld), c21 = pc == 0 ? c20 : FloatVector.fromArray(S, out, o + 2 * ld + L);
        FloatVector c30 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 3)) : FloatVector.fromArray(S, out, o + 3 * ld), c31 = pc == 0 ? c30 : FloatVector.fromArray(S, out, o + 3 * ld + L);
        FloatVector c40 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 4)) : FloatVector.fromArray(S, out, o + 4 * ld), c41 = pc == 0 ? c40 : FloatVector.fromArray(S, out, o + 4 * ld + L);
        FloatVector c50 = pc == 0 ? FloatVector.broadcast(S, start(bias, r0, rows, 5)) : FloatVector.fromArray(S, out, o + 5 * ld), c51 = pc == 0 ? c50 : FloatVector.fromArray(S, out, o + 5 * ld + L);
        int ao = pc * mPad + row0 * kc;
        for (int kk = 0; kk < kc; kk++, ao += 6) {
            int bo = offs[pc + kk] + q;
            FloatVector b0 = FloatVector.fromArray(S, src, bo), b1 = FloatVector.fromArray(S, src, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
        }
        c00.intoArray(out, o); c01.intoArray(out, o + L);
        c10.intoArray(out, o + ld); c11.intoArray(out, o + ld + L);
        c20.intoArray(out, o + 2 * ld); c21.intoArray(out, o + 2 * ld + L);
        c30.intoArray(out, o + 3 * ld); c31.intoArray(out, o + 3 * ld + L);
        c40.intoArray(out, o + 4 * ld); c41.intoArray(out, o + 4 * ld + L);
        c50.intoArray(out, o + 5 * ld); c51.intoArray(out, o + 5 * ld + L);
    }

    /**
     * Adds the tile into C (or sets it, for the first K block, whose sums started at the row bias),
     * with the column bias after the last block; the epilogue (given for the last block only) runs
     * on the finished tile, in the tile (once for a whole tile, whose rows are contiguous there),
     * before it is stored. A whole first-and-last tile with nothing to add goes to the epilogue as
     * it is.
     */
    private static void store(float[] tile, MemorySegment c, long cOff, long ldc, int row0, int rows, int col0, int cols,
                              boolean first, boolean last, float[] colBias, GemmEpilogue epilogue) {
        boolean whole = cols == NR;
        boolean adds = !first || last && colBias.length > 0;
        for (int r = 0; r < rows; r++) {
            int row = row0 + r;
            long base = (cOff + row * ldc + col0) * Float.BYTES;
            if (whole) {
                if (!adds && epilogue != null) continue;
                for (int h = 0; h < 2; h++) {
                    FloatVector v = FloatVector.fromArray(S, tile, r * NR + h * L);
                    long at = base + (long) h * L * Float.BYTES;
                    if (!first) v = v.add(FloatVector.fromMemorySegment(S, c, at, NATIVE));
                    if (last && colBias.length > 0) v = v.add(FloatVector.fromArray(S, colBias, col0 + h * L));
                    if (epilogue == null) v.intoMemorySegment(c, at, NATIVE);
                    else v.intoArray(tile, r * NR + h * L);
                }
            } else {
                partialRow(tile, r * NR, c, base, cols, first, last, colBias, col0, epilogue);
            }
        }
        if (whole && epilogue != null) {
            epilogue.apply(tile, 0, rows * NR);
            for (int r = 0; r < rows; r++) {
                long base = (cOff + (row0 + r) * ldc + col0) * Float.BYTES;
                FloatVector.fromArray(S, tile, r * NR).intoMemorySegment(c, base, NATIVE);
                FloatVector.fromArray(S, tile, r * NR + L).intoMemorySegment(c, base + (long) L * Float.BYTES, NATIVE);
            }
        }
    }

    /**
     * One row of a tile narrower than a panel (the last of a row of output), as the whole-tile
     * path does it but with masked vectors: lanes past the tile's columns are neither read from
     * C nor stored (they are computed in the tile, whose row is a panel wide).
     */
    private static void partialRow(float[] tile, int t, MemorySegment c, long base, int cols, boolean first, boolean last, float[] colBias,
                                   int col0, GemmEpilogue epilogue) {
        for (int h = 0; h * L < cols; h++) {
            VectorMask<Float> m = S.indexInRange(h * L, cols);
            long at = base + (long) h * L * Float.BYTES;
            FloatVector v = FloatVector.fromArray(S, tile, t + h * L);
            if (!first) v = v.add(FloatVector.fromMemorySegment(S, c, at, NATIVE, m));
            if (last && colBias.length > 0) v = v.add(FloatVector.fromArray(S, colBias, col0 + h * L, m));
            v.intoArray(tile, t + h * L);
        }
        if (epilogue != null) epilogue.apply(tile, t, NR);
        for (int h = 0; h * L < cols; h++) {
            FloatVector.fromArray(S, tile, t + h * L).intoMemorySegment(c, base + (long) h * L * Float.BYTES, NATIVE, S.indexInRange(h * L, cols));
        }
    }
}
