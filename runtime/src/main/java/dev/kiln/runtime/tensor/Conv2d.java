package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * 2-D convolution on NCHW float32. Dense and grouped convolutions are GEMMs per image, group and
 * chunk of output rows, the weights [M/group, C/group·kh·kw] the left operand, so the output lands
 * in NCHW order with the bias per row. A kernel wider than a pixel is an implicit GEMM: the
 * chunk's input rows are laid out once ({@link Direct}: padded, split by stride phase) and the
 * micro-kernel reads each tap's inputs there through a table of offsets, with no im2col copy; a
 * pointwise convolution packs its input rows (one bulk copy). A chunk's input stays in L2.
 * Depthwise convolutions (one input channel per group) are direct loops, since a GEMM with
 * K = kh·kw would be all packing.
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
        int mg = m / group, t = threads.threads();
        long inImage = (long) group * g.cg() * g.h() * g.w(), outImage = (long) m * g.p();
        // at batch 1, chunks of at most a thread's share of the rows, so that every thread has one - where that splits
        // the rows about evenly (the busiest thread at most 25% over an even share); else (three rows on two threads)
        // chunks as the cache wants them, one after another, each splitting its strips of weights over the threads
        // kernels wider than a pixel read the input in place (an implicit GEMM, laid out as Direct says); pointwise ones pack it
        int perThread = n >= t ? g.oh() : Math.ceilDiv(g.oh(), Math.ceilDiv(t, group));
        Direct d = g.isPointwise() ? null : Direct.of(g, perThread);
        int capped = d != null ? d.rows() : Math.min(perThread, chunkRows(g)), cappedChunks = Math.ceilDiv(g.oh(), capped);
        boolean inner = n < t && (long) Math.ceilDiv(group * cappedChunks, t) * capped * t > 1.25 * g.oh() * group;
        if (inner && d != null) d = Direct.of(g, g.oh());
        int rows = d != null ? d.rows() : inner ? chunkRows(g) : capped, chunks = Math.ceilDiv(g.oh(), rows);
        Direct layout = d;
        TensorThreads within = inner ? threads : TensorThreads.SERIAL;
        long chunkWork = (long) mg * g.k() * rows * g.ow();
        ChunkBody body = layout != null
                ? (xo, yo, gi, oy0) -> directChunk(within, x, xo, wOps[gi], bias, y, yo, mg, gi, oy0, g, layout, epilogue)
                : (xo, yo, gi, oy0) -> chunk(within, x, xo, wOps[gi], bias, y, yo, mg, gi, oy0, rows, g, epilogue);
        if (n >= t) {
            // whole images to each thread
            threads.forWork(n, chunkWork * chunks * group, (i0, i1) -> {
                for (long i = i0; i < i1; i++) {
                    for (int gi = 0; gi < group; gi++) {
                        for (int c = 0; c < chunks; c++) body.run(i * inImage, i * outImage, gi, c * rows);
                    }
                }
            });
        } else {
            // fewer images than threads (batch 1): the row chunks of each image and group split over the threads, or each over them all
            for (int i = 0; i < n; i++) {
                long xo = i * inImage, yo = i * outImage;
                if (inner) {
                    for (int c = 0; c < group * chunks; c++) body.run(xo, yo, c / chunks, c % chunks * rows);
                } else {
                    threads.forWork((long) group * chunks, chunkWork, (c0, c1) -> {
                        for (long c = c0; c < c1; c++) body.run(xo, yo, (int) (c / chunks), (int) (c % chunks) * rows);
                    });
                }
            }
        }
    }

    @FunctionalInterface
    private interface ChunkBody {
        /** Output rows [oy0, oy0 + rows) of group {@code gi} of the image at input offset {@code xo} and output offset {@code yo}. */
        void run(long xo, long yo, int gi, int oy0);
    }

    /**
     * The layout an implicit GEMM reads a chunk of {@code rows} output rows from: per input
     * channel, the padded input split by row and column phase of the strides (phase (qy, qx) holds
     * padded rows qy, qy + sh... and columns qx, qx + sw...), {@code rq} rows of {@code wq} floats
     * each, phases one after the other ({@code cs} floats a channel). Tap (c, ky, kx) of the output
     * at chunk position q = row·wq + column then reads {@code offs[tap] + q}: the outputs of a
     * panel read consecutive floats for every tap, as a packed panel would hold them, with no
     * im2col. Each output row computes {@code wq - ow} columns too many, which are dropped; reads
     * run at most {@code len} floats.
     */
    record Direct(int rows, int rq, int wq, int cs, int[] offs, int panels, int len) {
        /** The layout for chunks of up to {@code maxRows} output rows (fewer where the chunk's input would outgrow L2). */
        static Direct of(ConvGeometry2d g, int maxRows) {
            int sh = g.sh(), sw = g.sw(), wq = (g.w() + g.pw() + g.pew() + sw - 1) / sw, ext = (g.kh() - 1) * g.dh() / sh;
            long perRow = (long) g.cg() * sh * sw * wq * Float.BYTES;
            int rows = (int) Math.clamp(CHUNK_BYTES / perRow - ext, 1, Math.min(maxRows, g.oh())), rq = rows + ext, cs = sh * sw * rq * wq;
            int[] offs = new int[g.k()];
            int maxOff = 0;
            for (int c = 0, t = 0; c < g.cg(); c++) {
                for (int ky = 0; ky < g.kh(); ky++) {
                    for (int kx = 0; kx < g.kw(); kx++, t++) {
                        int dy = ky * g.dh(), dx = kx * g.dw();
                        offs[t] = c * cs + ((dy % sh * sw + dx % sw) * rq + dy / sh) * wq + dx / sw;
                        maxOff = Math.max(maxOff, offs[t]);
                    }
                }
            }
            int panels = PackedB.panels(rows * wq);
            return new Direct(rows, rq, wq, cs, offs, panels, Math.max(g.cg() * cs, maxOff + panels * Gemm.NR));
        }
    }

    private static final ThreadLocal<float[]> DIRECT_IN = ThreadLocal.withInitial(() -> new float[0]);
    /** The layout a thread's input buffer last held: where it is the same (the same array too), the buffer's pad columns are zeros still. */
    private record Pads(float[] buffer, int cg, int cs, int rq, int wq, int pw, int w) {} // the buffer compared by identity

    private static final ThreadLocal<Pads> DIRECT_PADS = new ThreadLocal<>();
    private static final ThreadLocal<float[]> DIRECT_OUT = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Output rows [oy0, oy0 + d.rows) of one image and group as an implicit GEMM: the input rows
     * they read laid out as {@link Direct} says (zeros in the padding), then per panel of outputs
     * and K block each MR-row strip of weights (the sums carried from block to block in the output
     * buffer), the finished rows activated and copied out. {@code threads} split the strips (one
     * thread where the chunks themselves are split over the threads).
     */
    private static void directChunk(TensorThreads threads, MemorySegment x, long xOff, Gemm.Operand w, float[] bias, MemorySegment y, long yOff, int mg,
                                    int gi, int oy0, ConvGeometry2d g, Direct d, GemmEpilogue epilogue) {
        int k = g.k(), mr = Gemm.MR, nr = Gemm.NR, sh = g.sh(), sw = g.sw(), wq = d.wq(), rq = d.rq(), hw = g.h() * g.w();
        int oy1 = Math.min(g.oh(), oy0 + d.rows()), panels = PackedB.panels((oy1 - oy0) * wq), ld = d.panels() * nr;
        float[] pa = w.packed();
        int mPad = pa.length / k;
        float[] src = DIRECT_IN.get(), out = DIRECT_OUT.get(), plane = PLANE.get();
        if (src.length < d.len()) DIRECT_IN.set(src = new float[d.len()]);
        Pads pads = new Pads(src, g.cg(), d.cs(), rq, wq, g.pw(), g.w());
        boolean clean = pads.equals(DIRECT_PADS.get());
        DIRECT_PADS.set(pads);
        if (out.length < mPad * ld) DIRECT_OUT.set(out = new float[mPad * ld]);
        // the input rows the chunk reads: padded rows sh·oy0 .. sh·(oy0 + rq) - 1
        int iyLo = Math.clamp((long) sh * oy0 - g.ph(), 0, g.h()), iyHi = Math.clamp((long) sh * (oy0 + rq) - g.ph(), iyLo, g.h());
        if (plane.length < (iyHi - iyLo) * g.w()) PLANE.set(plane = new float[(iyHi - iyLo) * g.w()]);
        long xg = xOff + (long) gi * g.cg() * hw;
        // stride 2: a row with its pads (zeros, written once here), read as pairs
        float[] padded = sw == 2 ? new float[2 * wq + 2] : null;
        // no column pads or strides and no top pad: a channel's rows are the input's, contiguous in both, one copy
        boolean contiguous = sh == 1 && sw == 1 && g.ph() == 0 && g.pw() == 0 && wq == g.w();
        for (int c = 0; c < g.cg() && contiguous; c++) {
            int at = c * d.cs(), n = (iyHi - iyLo) * g.w();
            if (n > 0) MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xg + (long) c * hw + (long) iyLo * g.w()) * Float.BYTES, src, at, n);
            java.util.Arrays.fill(src, at + n, at + rq * wq, 0f);
        }
        for (int c = 0; c < g.cg() && !contiguous; c++) {
            if (iyHi > iyLo) MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xg + (long) c * hw + (long) iyLo * g.w()) * Float.BYTES, plane, 0, (iyHi - iyLo) * g.w());
            for (int qy = 0; qy < sh; qy++) {
                for (int r = 0; r < rq; r++) {
                    int iy = sh * (oy0 + r) + qy - g.ph(), from = (iy - iyLo) * g.w();
                    for (int qx = 0; qx < sw; qx++) {
                        int at = c * d.cs() + ((qy * sw + qx) * rq + r) * wq;
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(src, at, at + wq, 0f);
                        } else if (sw == 1) {
                            // the row's pads are zero already when the buffer last held this layout (rows only ever write their middle)
                            int pw = g.pw(), n = g.w();
                            if (!clean) {
                                java.util.Arrays.fill(src, at, at + pw, 0f);
                                java.util.Arrays.fill(src, at + pw + n, at + wq, 0f);
                            }
                            System.arraycopy(plane, from, src, at + pw, n);
                        } else if (sw == 2) {
                            // the padded row, then its even and odd columns to phases 0 and 1 (qx covers both)
                            if (qx == 1) continue;
                            System.arraycopy(plane, from, padded, g.pw(), g.w());
                            unzip2(padded, 0, src, at, at + rq * wq, wq);
                        } else {
                            for (int j = 0; j < wq; j++) {
                                int ix = j * sw + qx - g.pw();
                                src[at + j] = ix >= 0 && ix < g.w() ? plane[from + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
        int[] offs = d.offs();
        float[] in = src, res = out;
        int strips = Math.ceilDiv(mg, mr);
        // the strips of weights split over the threads (one thread unless the chunks could not be): each writes and copies out its own rows
        threads.forWork(strips, (long) mr * k * panels * nr, (s0, s1) -> {
            // per panel and K block, every strip: the block's reads of the panel (KC steps of NR floats) stay in L1 for the strips after the first
            for (int p = 0; p < panels; p++) {
                for (int pc = 0; pc < k; pc += Gemm.KC) {
                    int kc = Math.min(Gemm.KC, k - pc);
                    for (int s = (int) s0; s < s1; s++) {
                        int r0 = gi * mg + s * mr, rows = Math.min(mr, mg - s * mr), o = s * mr * ld + p * nr;
                        if (mr == 8) Gemm.direct8(pc, kc, pa, mPad, s * mr, in, offs, p * nr, res, o, ld, bias, r0, rows);
                        else Gemm.direct6(pc, kc, pa, mPad, s * mr, in, offs, p * nr, res, o, ld, bias, r0, rows);
                    }
                }
            }
            for (int ch = (int) s0 * mr; ch < Math.min(mg, s1 * mr); ch++) {
                long yRow = yOff + (long) (gi * mg + ch) * g.p() + (long) oy0 * g.ow();
                if (wq == g.ow()) { // no dropped columns: the channel's rows in one piece
                    int n = (oy1 - oy0) * wq;
                    if (epilogue != null) epilogue.apply(res, ch * ld, n);
                    MemorySegment.copy(res, ch * ld, y, ValueLayout.JAVA_FLOAT, yRow * Float.BYTES, n);
                    continue;
                }
                for (int oy = oy0; oy < oy1; oy++, yRow += g.ow()) {
                    int from = ch * ld + (oy - oy0) * wq;
                    if (epilogue != null) epilogue.apply(res, from, g.ow());
                    MemorySegment.copy(res, from, y, ValueLayout.JAVA_FLOAT, yRow * Float.BYTES, g.ow());
                }
            }
        });
    }

    /** A chunk's packed or laid-out input is about this many bytes at most: it stays in L2 while the GEMM reads it once per strip of weights. */
    private static final int CHUNK_BYTES = 256 * 1024;

    /** Output rows per chunk: as many as keep the chunk's packed patches within {@link #CHUNK_BYTES}, at least one. */
    static int chunkRows(ConvGeometry2d g) {
        long perRow = (long) g.k() * g.ow() * Float.BYTES;
        return (int) Math.max(1, Math.min(g.oh(), CHUNK_BYTES / Math.max(1, perRow)));
    }

    /** Output rows [oy0, oy0 + rows) of one image and group: their inputs packed, then one GEMM writing those columns of the output. */
    private static void chunk(TensorThreads threads, MemorySegment x, long xOff, Gemm.Operand w, float[] bias, MemorySegment y, long yOff,
                              int mg, int gi, int oy0, int rows, ConvGeometry2d g, GemmEpilogue epilogue) {
        int k = g.k(), p = g.p(), oy1 = Math.min(g.oh(), oy0 + rows), c0 = oy0 * g.ow(), cn = (oy1 - oy0) * g.ow();
        float[] cols = COLS.get();
        if (cols.length < PackedB.size(k, cn)) COLS.set(cols = new float[PackedB.size(k, cn)]);
        long xg = xOff + (long) gi * g.cg() * g.h() * g.w();
        PackedB b = PackedB.packInto(cols, x, xg + c0, p, false, k, cn);
        float[] rb = bias.length == 0 ? bias : java.util.Arrays.copyOfRange(bias, gi * mg, gi * mg + mg);
        Gemm.multiply(threads, w, b, y, yOff + (long) gi * mg * p + c0, p, mg, rb, new float[0], epilogue);
    }

    private static final ThreadLocal<float[]> PLANE = ThreadLocal.withInitial(() -> new float[0]);

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
        // a plane's work: its taps, and copying it in and padding it (memory passes)
        threads.forWork((long) n * m, (long) p * taps + 2 * TensorThreads.MEMORY_PASS * hw, (r0, r1) -> {
            // out: one output row, or two (a pair) one after the other; the large arrays are the thread's, reused from call to
            // call (allocated per call they were most of a model run's garbage and had to be zeroed), the padded plane zeroed
            // here since its pads are never written
            float[] wk = new float[taps], out = scratch(DW_OUT, 2 * g.ow()), stage = scratch(DW_STAGE, hw), xp = scratch(DW_PADDED, hp * wp + 1);
            java.util.Arrays.fill(xp, 0, hp * wp + 1, 0f);
            int[] rows = new int[g.h()], rowTaps = new int[g.kh()], pairA = new int[g.h()], pairB = new int[g.h()];
            // strided: the padded plane split by column phase (phase q holds columns q, q + s, q + 2s...),
            // so that a tap reads consecutive values for consecutive outputs and vectorizes
            int sw = g.sw(), wq = (wp + sw - 1) / sw;
            float[] phases = sw > 1 ? scratch(DW_PHASES, sw * hp * wq) : null;
            // phases of strides over 2 leave a row's last entries unwritten where the phase is shorter: zeros, as the rest
            if (sw > 2) java.util.Arrays.fill(phases, 0, sw * hp * wq, 0f);
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
                if (sw == 2) {
                    for (int r = 0; r < hp; r++) unzip2(xp, r * wp, phases, r * wq, (hp + r) * wq, wq);
                } else if (phases != null) {
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

    private static final jdk.incubator.vector.VectorShuffle<Float> EVEN = jdk.incubator.vector.VectorShuffle.makeUnzip(Gemm.S, 0);
    private static final jdk.incubator.vector.VectorShuffle<Float> ODD = jdk.incubator.vector.VectorShuffle.makeUnzip(Gemm.S, 1);

    /**
     * Columns 0, 2, 4... of {@code src} from {@code from} to {@code dst} at {@code even}, and
     * columns 1, 3, 5... at {@code odd}, {@code n} of each: a stride-2 kernel's two column phases,
     * by two-vector permutes (reads {@code 2n} floats).
     */
    static void unzip2(float[] src, int from, float[] dst, int even, int odd, int n) {
        int j = 0, l = Gemm.L;
        for (; j + l <= n; j += l) {
            FloatVector a = FloatVector.fromArray(Gemm.S, src, from + 2 * j), b = FloatVector.fromArray(Gemm.S, src, from + 2 * j + l);
            a.rearrange(EVEN, b).intoArray(dst, even + j);
            a.rearrange(ODD, b).intoArray(dst, odd + j);
        }
        for (; j < n; j++) {
            dst[even + j] = src[from + 2 * j];
            dst[odd + j] = src[from + 2 * j + 1];
        }
    }

    private static final ThreadLocal<float[]> DW_OUT = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> DW_STAGE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> DW_PADDED = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> DW_PHASES = ThreadLocal.withInitial(() -> new float[0]);

    /** The thread's array of {@code tl}, at least {@code n} floats long (its contents are what the last user left). */
    private static float[] scratch(ThreadLocal<float[]> tl, int n) {
        float[] a = tl.get();
        if (a.length < n) tl.set(a = new float[n]);
        return a;
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
