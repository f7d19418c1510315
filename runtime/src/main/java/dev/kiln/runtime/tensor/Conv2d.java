package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * 2-D convolution on NCHW float32. Dense and grouped convolutions are GEMMs per image, group and
 * chunk of output rows: the chunk's patches are written by {@link #im2colPacked} straight into the
 * packed layout the GEMM reads (a chunk stays in L2: a whole image's patches, K×P floats, would
 * not), and the weights [M/group, C/group·kh·kw] are the left operand, so the output lands in
 * NCHW order with the bias per row. Depthwise convolutions (one input channel per group) are
 * direct loops, since a GEMM with K = kh·kw would be all packing.
 */
public final class Conv2d {
    private Conv2d() {}

    private static final ThreadLocal<float[]> COLS = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * @param x input at float offset 0, [n, group·cg, h, w]; @param w weights [m, cg, kh, kw]
     * @param y output [n, m, oh, ow]
     */
    /** The weights [m, cg, kh, kw] as one GEMM operand per group, packed once (a program packs them when it compiles). */
    public static Gemm.Operand[] weights(MemorySegment w, int m, int group, ConvGeometry2d g) {
        int mg = m / group;
        Gemm.Operand[] ops = new Gemm.Operand[group];
        for (int gi = 0; gi < group; gi++) ops[gi] = Gemm.prepacked(new Gemm.Operand(w, (long) gi * mg * g.k(), g.k(), false), mg, g.k());
        return ops;
    }

    /** @param wOps {@link #weights} (unused by depthwise convolutions, which read {@code w}) */
    public static void forward(TensorThreads threads, MemorySegment x, MemorySegment w, Gemm.Operand[] wOps, float[] bias, MemorySegment y,
                               int n, int m, int group, ConvGeometry2d g, GemmEpilogue epilogue) {
        if (g.cg() == 1 && group == m && group > 1) {
            depthwise(threads, x, w, bias, y, n, m, g, epilogue);
            return;
        }
        int mg = m / group;
        long inImage = (long) group * g.cg() * g.h() * g.w(), outImage = (long) m * g.p();
        int rows = chunkRows(g), chunks = (g.oh() + rows - 1) / rows;
        long chunkWork = (long) mg * g.k() * rows * g.ow();
        if (n >= threads.threads()) {
            // whole images to each thread
            threads.forWork(n, chunkWork * chunks * group, (i0, i1) -> {
                for (long i = i0; i < i1; i++) {
                    for (int gi = 0; gi < group; gi++) {
                        for (int c = 0; c < chunks; c++) chunk(TensorThreads.SERIAL, x, i * inImage, wOps[gi], bias, y, i * outImage, mg, gi, c * rows, g, epilogue);
                    }
                }
            });
        } else {
            // fewer images than threads (batch 1): the row chunks of each image and group split over the threads
            for (int i = 0; i < n; i++) {
                long xo = i * inImage, yo = i * outImage;
                threads.forWork((long) group * chunks, chunkWork, (c0, c1) -> {
                    for (long c = c0; c < c1; c++) chunk(TensorThreads.SERIAL, x, xo, wOps[(int) (c / chunks)], bias, y, yo, mg, (int) (c / chunks), (int) (c % chunks) * rows, g, epilogue);
                });
            }
        }
    }

    /** Packed patches of about this many bytes per chunk: they stay in L2 while the GEMM reads them once per row block of weights. */
    private static final int CHUNK_BYTES = 256 * 1024;

    /** Output rows per chunk: as many as keep the chunk's packed patches within {@link #CHUNK_BYTES}, at least one. */
    static int chunkRows(ConvGeometry2d g) {
        long perRow = (long) g.k() * g.ow() * Float.BYTES;
        return (int) Math.max(1, Math.min(g.oh(), CHUNK_BYTES / Math.max(1, perRow)));
    }

    /** Output rows [oy0, oy0 + chunkRows) of one image and group: their patches packed, then one GEMM writing those columns of the output. */
    private static void chunk(TensorThreads threads, MemorySegment x, long xOff, Gemm.Operand w, float[] bias, MemorySegment y, long yOff,
                              int mg, int gi, int oy0, ConvGeometry2d g, GemmEpilogue epilogue) {
        int k = g.k(), p = g.p(), oy1 = Math.min(g.oh(), oy0 + chunkRows(g)), c0 = oy0 * g.ow(), cn = (oy1 - oy0) * g.ow();
        float[] cols = COLS.get();
        if (cols.length < PackedB.size(k, cn)) COLS.set(cols = new float[PackedB.size(k, cn)]);
        long xg = xOff + (long) gi * g.cg() * g.h() * g.w();
        PackedB b = g.isPointwise() ? PackedB.packInto(cols, x, xg + c0, p, false, k, cn) : im2colPacked(x, xg, g, cols, oy0, oy1);
        float[] rb = bias.length == 0 ? bias : java.util.Arrays.copyOfRange(bias, gi * mg, gi * mg + mg);
        Gemm.multiply(threads, w, b, y, yOff + (long) gi * mg * p + c0, p, mg, rb, new float[0], epilogue);
    }

    /** Columns [q, q + len) of packed row {@code row}: from {@code src} at {@code from}, or zeros when src is null; a copy per panel. */
    private static void put(float[] dst, int k, int row, int q, float[] src, int from, int len) {
        int nr = Gemm.NR;
        while (len > 0) {
            int lane = q % nr, n = Math.min(len, nr - lane), at = (q / nr) * k * nr + row * nr + lane;
            if (n == nr) { // a whole panel row: two vector moves (an arraycopy call costs more than the 128 bytes it moves)
                FloatVector a = src == null ? FloatVector.zero(Gemm.S) : FloatVector.fromArray(Gemm.S, src, from);
                FloatVector b = src == null ? a : FloatVector.fromArray(Gemm.S, src, from + Gemm.L);
                a.intoArray(dst, at);
                b.intoArray(dst, at + Gemm.L);
            } else if (src == null) {
                java.util.Arrays.fill(dst, at, at + n, 0f);
            } else {
                System.arraycopy(src, from, dst, at, n);
            }
            q += n;
            from += n;
            len -= n;
        }
    }

    private static final ThreadLocal<float[]> PLANE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> RUN = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * The patches of output rows [oy0, oy1) of one image and group as a packed K×P operand (zeros
     * where the kernel meets padding). The input rows they read are copied to the heap once per
     * channel; each output row's patch row is then a run copied (or, strided, gathered) into its
     * panels, with zeros where the kernel meets padding.
     */
    static PackedB im2colPacked(MemorySegment x, long xOff, ConvGeometry2d g, float[] dst, int oy0, int oy1) {
        int nr = Gemm.NR, k = g.k(), p = (oy1 - oy0) * g.ow(), qs = PackedB.panels(p) * nr, hw = g.h() * g.w();
        int iyLo = Math.max(0, oy0 * g.sh() - g.ph()), iyHi = Math.min(g.h(), (oy1 - 1) * g.sh() - g.ph() + (g.kh() - 1) * g.dh() + 1);
        int span = Math.max(0, iyHi - iyLo) * g.w();
        float[] plane = PLANE.get(), phased = RUN.get();
        if (plane.length < span) PLANE.set(plane = new float[span]);
        // strided: each copied input row split by column phase (phase q holds columns q, q + sw, ...), so that an
        // output row's patch row is a contiguous run of one phase, copied by vectors rather than gathered by element
        int sw = g.sw(), rowsIn = Math.max(0, iyHi - iyLo), wq = (g.w() + sw - 1) / sw;
        if (sw > 1 && phased.length < sw * rowsIn * wq) RUN.set(phased = new float[sw * rowsIn * wq]);
        for (int c = 0; c < g.cg(); c++) {
            if (span > 0) MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xOff + (long) c * hw + (long) iyLo * g.w()) * Float.BYTES, plane, 0, span);
            if (sw > 1) {
                for (int q = 0; q < sw; q++) {
                    for (int r = 0; r < rowsIn; r++) {
                        int to = (q * rowsIn + r) * wq, from = r * g.w();
                        for (int col = q; col < g.w(); col += sw) phased[to++] = plane[from + col];
                    }
                }
            }
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    int row = (c * g.kh() + ky) * g.kw() + kx;
                    int ix0 = -g.pw() + kx * g.dw();
                    // each output row reads a run of its input row (with the stride), zeros where the kernel hangs over the edge
                    int oxLo = Math.clamp(Math.ceilDiv(-ix0, g.sw()), 0, g.ow()), oxHi = Math.clamp(Math.ceilDiv(g.w() - ix0, g.sw()), oxLo, g.ow());
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * g.sh() - g.ph() + ky * g.dh(), q = (oy - oy0) * g.ow();
                        if (iy < 0 || iy >= g.h()) {
                            put(dst, k, row, q, null, 0, g.ow());
                            continue;
                        }
                        int src = (iy - iyLo) * g.w() + ix0;
                        put(dst, k, row, q, null, 0, oxLo);
                        if (sw == 1) {
                            put(dst, k, row, q + oxLo, plane, src + oxLo, oxHi - oxLo);
                        } else {
                            // column ox * sw + ix0 is in phase floorMod(ix0, sw), at ox + floorDiv(ix0, sw) there
                            int at = (Math.floorMod(ix0, sw) * rowsIn + iy - iyLo) * wq + Math.floorDiv(ix0, sw);
                            put(dst, k, row, q + oxLo, phased, at + oxLo, oxHi - oxLo);
                        }
                        put(dst, k, row, q + oxHi, null, 0, g.ow() - oxHi);
                    }
                    put(dst, k, row, p, null, 0, qs - p);
                }
            }
        }
        return PackedB.wrap(dst, k, p);
    }

    /**
     * One input plane per output plane. Each plane is copied once into a zero-padded heap row-major
     * array, so the tap loops have no bounds tests. Kernel rows that fall wholly in the vertical
     * padding are skipped (a 5x5 kernel over a 2-row plane reads 2 of its 5 rows). Each vector of
     * an output row accumulates all its taps in a register, as FMAs over contiguous input: with a
     * horizontal stride the plane is first split by column phase, so that a tap's inputs for
     * consecutive outputs are consecutive too; a row's last vector overlaps the one before, and a
     * row narrower than a vector is one masked vector.
     */
    private static void depthwise(TensorThreads threads, MemorySegment x, MemorySegment w, float[] bias, MemorySegment y,
                                  int n, int m, ConvGeometry2d g, GemmEpilogue epilogue) {
        int hw = g.h() * g.w(), taps = g.kh() * g.kw(), p = g.p();
        int wp = g.w() + g.pw() + g.pew(), hp = g.h() + g.ph() + g.peh();
        threads.forWork((long) n * m, (long) p * taps, (r0, r1) -> {
            // out: one output row, or two (a pair) one after the other
            float[] wk = new float[taps], xp = new float[hp * wp], out = new float[2 * g.ow()], stage = new float[hw];
            int[] rows = new int[g.h()], rowTaps = new int[g.kh()], pairA = new int[g.h()], pairB = new int[g.h()];
            // strided: the padded plane split by column phase (phase q holds columns q, q + s, q + 2s...),
            // so that a tap reads consecutive values for consecutive outputs and vectorizes
            int sw = g.sw(), wq = (wp + sw - 1) / sw;
            float[] phases = sw > 1 ? new float[sw * hp * wq] : null;
            float[] src = phases != null ? phases : xp;
            int rowStride = phases != null ? wq : wp;
            // where tap kx of output 0 reads in a row of src: column kx * dw, in its phase when strided
            int[] tapAt = new int[g.kw()];
            for (int kx = 0; kx < g.kw(); kx++) {
                int col = kx * g.dw();
                tapAt[kx] = phases != null ? (col % sw) * hp * wq + col / sw : col;
            }
            // a row narrower than a vector: one masked vector (lanes past the row neither read nor written)
            VectorMask<Float> narrow = g.ow() < Gemm.L ? Gemm.S.indexInRange(0, g.ow()) : null;
            // else whole vectors, the last overlapping the one before (the columns it recomputes come out the same)
            int[] starts = new int[narrow != null ? 0 : (g.ow() + Gemm.L - 1) / Gemm.L];
            for (int v = 0; v < starts.length; v++) starts[v] = Math.min(v * Gemm.L, g.ow() - Gemm.L);
            for (long plane = r0; plane < r1; plane++) {
                int c = (int) (plane % m);
                MemorySegment.copy(w, ValueLayout.JAVA_FLOAT, (long) c * taps * Float.BYTES, wk, 0, taps);
                float b = bias.length == 0 ? 0 : bias[c];
                long xo = plane * hw, yo = plane * p;
                // one copy off heap (a call per row cost as much as the taps of a small plane), then the rows into the padding
                MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, xo * Float.BYTES, stage, 0, hw);
                for (int iy = 0; iy < g.h(); iy++) System.arraycopy(stage, iy * g.w(), xp, (iy + g.ph()) * wp + g.pw(), g.w());
                if (phases != null) {
                    for (int q = 0; q < sw; q++) {
                        for (int r = 0; r < hp; r++) {
                            int to = (q * hp + r) * wq, from = r * wp;
                            for (int col = q; col < wp; col += sw) phases[to++] = xp[from + col];
                        }
                    }
                }
                int oy = 0;
                if (narrow == null) {
                    // output rows in pairs: an input row both read is loaded once for the two (see pair4)
                    for (; oy + 1 < g.oh(); oy += 2) {
                        int used = 0;
                        for (int iy = Math.max(0, oy * g.sh() - g.ph()); iy < g.h() && iy <= (oy + 1) * g.sh() - g.ph() + (g.kh() - 1) * g.dh(); iy++) {
                            int ta = tapOf(iy - (oy * g.sh() - g.ph()), g), tb = tapOf(iy - ((oy + 1) * g.sh() - g.ph()), g);
                            if (ta < 0 && tb < 0) continue;
                            rows[used] = iy + g.ph();
                            pairA[used] = ta;
                            pairB[used++] = tb;
                        }
                        int nv = starts.length;
                        for (int v = 0; v < nv; ) {
                            if (nv - v >= 4) {
                                pair4(src, rows, pairA, pairB, used, rowStride, tapAt, g.kw(), wk, b, out, g.ow(), starts[v], starts[v + 1], starts[v + 2], starts[v + 3]);
                                v += 4;
                            } else {
                                pair2(src, rows, pairA, pairB, used, rowStride, tapAt, g.kw(), wk, b, out, g.ow(), starts[v], starts[Math.min(v + 1, nv - 1)]);
                                v += 2;
                            }
                        }
                        if (epilogue != null) epilogue.apply(out, 0, 2 * g.ow());
                        MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (yo + (long) oy * g.ow()) * Float.BYTES, 2 * g.ow());
                    }
                }
                for (; oy < g.oh(); oy++) {
                    // the kernel rows that meet the image: their row in the padded plane and their first tap
                    int used = 0;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.sh() - g.ph() + ky * g.dh();
                        if (iy < 0 || iy >= g.h()) continue;
                        rows[used] = iy + g.ph();
                        rowTaps[used++] = ky * g.kw();
                    }
                    // every row is vectors: one masked vector when narrow, else the whole vectors at starts
                    if (narrow != null) {
                        FloatVector acc = FloatVector.broadcast(Gemm.S, b);
                        for (int r = 0; r < used; r++) {
                            int base = rows[r] * rowStride, t = rowTaps[r];
                            for (int kx = 0; kx < g.kw(); kx++) {
                                acc = FloatVector.fromArray(Gemm.S, src, base + tapAt[kx], narrow).fma(FloatVector.broadcast(Gemm.S, wk[t + kx]), acc);
                            }
                        }
                        acc.intoArray(out, 0, narrow);
                    } else {
                        // four vectors of the row at a time: four independent FMA chains (one chain waits out each FMA's
                        // latency, and the loop was bound by it), the tap's weight broadcast once for the four; a row's
                        // last one to three vectors repeat its last start (the same values written twice)
                        int nv = starts.length;
                        for (int v = 0; v < nv; v += 4) {
                            taps4(src, rows, rowTaps, used, rowStride, tapAt, g.kw(), wk, b, out, starts[v], starts[Math.min(v + 1, nv - 1)],
                                    starts[Math.min(v + 2, nv - 1)], starts[Math.min(v + 3, nv - 1)]);
                        }
                    }
                    if (epilogue != null) epilogue.apply(out, 0, g.ow());
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (yo + (long) oy * g.ow()) * Float.BYTES, g.ow());
                }
            }
        });
    }

    /** The first tap of the kernel row that reads input row {@code dy} rows below the output row's first (-1: none). */
    private static int tapOf(int dy, ConvGeometry2d g) {
        if (dy < 0 || dy % g.dh() != 0 || dy / g.dh() >= g.kh()) return -1;
        return dy / g.dh() * g.kw();
    }

    /**
     * Four output vectors of two depthwise rows A and B (into {@code out} at {@code o0..o3}, and
     * {@code rowB} further on): each input row the two read - {@code rows[u]}, with first tap {@code tapA[u]}
     * for A and {@code tapB[u]} for B, -1 where a row does not read it - is loaded once per tap and
     * vector for both. Rows ascend, so each output sums its taps in the order of the one-row loop.
     */
    private static void pair4(float[] src, int[] rows, int[] tapA, int[] tapB, int used, int rowStride, int[] tapAt, int kw, float[] wk, float b,
                              float[] out, int rowB, int o0, int o1, int o2, int o3) {
        FloatVector a0 = FloatVector.broadcast(Gemm.S, b), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int r = 0; r < used; r++) {
            int base = rows[r] * rowStride, ta = tapA[r], tb = tapB[r];
            for (int kx = 0; kx < kw; kx++) {
                int at = base + tapAt[kx];
                FloatVector x0 = FloatVector.fromArray(Gemm.S, src, at + o0), x1 = FloatVector.fromArray(Gemm.S, src, at + o1);
                FloatVector x2 = FloatVector.fromArray(Gemm.S, src, at + o2), x3 = FloatVector.fromArray(Gemm.S, src, at + o3);
                if (ta >= 0) {
                    FloatVector wv = FloatVector.broadcast(Gemm.S, wk[ta + kx]);
                    a0 = x0.fma(wv, a0);
                    a1 = x1.fma(wv, a1);
                    a2 = x2.fma(wv, a2);
                    a3 = x3.fma(wv, a3);
                }
                if (tb >= 0) {
                    FloatVector wv = FloatVector.broadcast(Gemm.S, wk[tb + kx]);
                    b0 = x0.fma(wv, b0);
                    b1 = x1.fma(wv, b1);
                    b2 = x2.fma(wv, b2);
                    b3 = x3.fma(wv, b3);
                }
            }
        }
        a0.intoArray(out, o0);
        a1.intoArray(out, o1);
        a2.intoArray(out, o2);
        a3.intoArray(out, o3);
        b0.intoArray(out, rowB + o0);
        b1.intoArray(out, rowB + o1);
        b2.intoArray(out, rowB + o2);
        b3.intoArray(out, rowB + o3);
    }

    /** {@link #pair4} for two vectors (a row's last one or two; o1 = o0 for one). */
    private static void pair2(float[] src, int[] rows, int[] tapA, int[] tapB, int used, int rowStride, int[] tapAt, int kw, float[] wk, float b,
                              float[] out, int rowB, int o0, int o1) {
        FloatVector a0 = FloatVector.broadcast(Gemm.S, b), a1 = a0, b0 = a0, b1 = a0;
        for (int r = 0; r < used; r++) {
            int base = rows[r] * rowStride, ta = tapA[r], tb = tapB[r];
            for (int kx = 0; kx < kw; kx++) {
                int at = base + tapAt[kx];
                FloatVector x0 = FloatVector.fromArray(Gemm.S, src, at + o0), x1 = FloatVector.fromArray(Gemm.S, src, at + o1);
                if (ta >= 0) {
                    FloatVector wv = FloatVector.broadcast(Gemm.S, wk[ta + kx]);
                    a0 = x0.fma(wv, a0);
                    a1 = x1.fma(wv, a1);
                }
                if (tb >= 0) {
                    FloatVector wv = FloatVector.broadcast(Gemm.S, wk[tb + kx]);
                    b0 = x0.fma(wv, b0);
                    b1 = x1.fma(wv, b1);
                }
            }
        }
        a0.intoArray(out, o0);
        a1.intoArray(out, o1);
        b0.intoArray(out, rowB + o0);
        b1.intoArray(out, rowB + o1);
    }

    /**
     * Four output vectors of a depthwise row (at {@code o0..o3} of {@code out}): each the bias plus
     * every tap in the same order as the one-vector loop, so the sums are the same.
     */
    private static void taps4(float[] src, int[] rows, int[] rowTaps, int used, int rowStride, int[] tapAt, int kw, float[] wk, float b, float[] out,
                              int o0, int o1, int o2, int o3) {
        FloatVector a0 = FloatVector.broadcast(Gemm.S, b), a1 = a0, a2 = a0, a3 = a0;
        for (int r = 0; r < used; r++) {
            int base = rows[r] * rowStride, t = rowTaps[r];
            for (int kx = 0; kx < kw; kx++) {
                FloatVector wv = FloatVector.broadcast(Gemm.S, wk[t + kx]);
                int at = base + tapAt[kx];
                a0 = FloatVector.fromArray(Gemm.S, src, at + o0).fma(wv, a0);
                a1 = FloatVector.fromArray(Gemm.S, src, at + o1).fma(wv, a1);
                a2 = FloatVector.fromArray(Gemm.S, src, at + o2).fma(wv, a2);
                a3 = FloatVector.fromArray(Gemm.S, src, at + o3).fma(wv, a3);
            }
        }
        a0.intoArray(out, o0);
        a1.intoArray(out, o1);
        a2.intoArray(out, o2);
        a3.intoArray(out, o3);
    }
}
