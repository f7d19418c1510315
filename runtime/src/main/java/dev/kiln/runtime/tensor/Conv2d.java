package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * 2-D convolution on NCHW float32. Dense and grouped convolutions are GEMMs per image and group:
 * the image's patches are written by {@link #im2colPacked} straight into the packed layout the
 * GEMM reads, and the weights [M/group, C/group·kh·kw] are the left operand, so the output lands
 * in NCHW order with the bias per row. Depthwise convolutions (one input channel per group) are
 * direct loops, since a GEMM with K = kh·kw would be all packing.
 */
public final class Conv2d {
    private Conv2d() {}

    private static final ThreadLocal<float[]> COLS = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * @param x input at float offset 0, [n, group·cg, h, w]; @param w weights [m, cg, kh, kw]
     * @param y output [n, m, oh, ow]
     */
    public static void forward(TensorThreads threads, MemorySegment x, MemorySegment w, float[] bias, MemorySegment y,
                               int n, int m, int group, ConvGeometry2d g, GemmEpilogue epilogue) {
        if (g.cg() == 1 && group == m && group > 1) {
            depthwise(threads, x, w, bias, y, n, m, g, epilogue);
            return;
        }
        int mg = m / group;
        long inImage = (long) group * g.cg() * g.h() * g.w(), outImage = (long) m * g.p();
        if (n >= threads.threads() && threads.threads() > 1) {
            threads.forRanges(n, 1, (i0, i1) -> {
                for (long i = i0; i < i1; i++) image(TensorThreads.SERIAL, x, i * inImage, w, bias, y, i * outImage, m, mg, group, g, epilogue);
            });
        } else {
            for (int i = 0; i < n; i++) image(threads, x, i * inImage, w, bias, y, i * outImage, m, mg, group, g, epilogue);
        }
    }

    private static void image(TensorThreads threads, MemorySegment x, long xOff, MemorySegment w, float[] bias, MemorySegment y, long yOff,
                              int m, int mg, int group, ConvGeometry2d g, GemmEpilogue epilogue) {
        int k = g.k(), p = g.p();
        float[] cols = COLS.get();
        if (cols.length < PackedB.size(k, p)) COLS.set(cols = new float[PackedB.size(k, p)]);
        for (int gi = 0; gi < group; gi++) {
            long xg = xOff + (long) gi * g.cg() * g.h() * g.w();
            PackedB b = g.isPointwise() ? PackedB.packInto(cols, x, xg, p, false, k, p) : im2colPacked(x, xg, g, cols);
            float[] rb = bias.length == 0 ? bias : java.util.Arrays.copyOfRange(bias, gi * mg, gi * mg + mg);
            Gemm.multiply(threads, new Gemm.Operand(w, (long) gi * mg * k, k, false), b, y, yOff + (long) gi * mg * p, p, mg, rb,
                    new float[0], epilogue);
        }
    }

    private static final ThreadLocal<float[]> PLANE = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * The patches of one image and group as a packed K×P operand (zeros where the kernel meets
     * padding). Each input plane is copied to the heap once; the output pixel and its panel slot
     * advance by counters, so the inner loop is a bounds test and an array read.
     */
    static PackedB im2colPacked(MemorySegment x, long xOff, ConvGeometry2d g, float[] dst) {
        int nr = Gemm.NR, k = g.k(), p = g.p(), qs = PackedB.panels(p) * nr, hw = g.h() * g.w();
        float[] plane = PLANE.get();
        if (plane.length < hw) PLANE.set(plane = new float[hw]);
        for (int c = 0; c < g.cg(); c++) {
            MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xOff + (long) c * hw) * Float.BYTES, plane, 0, hw);
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    int row = (c * g.kh() + ky) * g.kw() + kx;
                    int ox = 0, lane = 0, at = row * nr;
                    int iy = -g.ph() + ky * g.dh(), ix0 = -g.pw() + kx * g.dw();
                    for (int q = 0; q < qs; q++) {
                        float v = 0;
                        if (q < p) {
                            int ix = ix0 + ox * g.sw();
                            if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) v = plane[iy * g.w() + ix];
                            if (++ox == g.ow()) {
                                ox = 0;
                                iy += g.sh();
                            }
                        }
                        dst[at + lane] = v;
                        if (++lane == nr) {
                            lane = 0;
                            at += k * nr;
                        }
                    }
                }
            }
        }
        return PackedB.wrap(dst, k, p);
    }

    /**
     * One input plane per output plane. Each plane is copied once into a zero-padded heap row-major
     * array, so the tap loops have no bounds tests. Kernel rows that fall wholly in the vertical
     * padding are skipped (a 5x5 kernel over a 2-row plane reads 2 of its 5 rows). With unit
     * horizontal stride each vector of an output row accumulates all its taps in a register, as
     * FMAs over contiguous input; otherwise element by element.
     */
    private static void depthwise(TensorThreads threads, MemorySegment x, MemorySegment w, float[] bias, MemorySegment y,
                                  int n, int m, ConvGeometry2d g, GemmEpilogue epilogue) {
        int hw = g.h() * g.w(), taps = g.kh() * g.kw(), p = g.p();
        int wp = g.w() + g.pw() + g.pew(), hp = g.h() + g.ph() + g.peh();
        threads.forRanges((long) n * m, 1, (r0, r1) -> {
            float[] wk = new float[taps], xp = new float[hp * wp], out = new float[g.ow()];
            int[] rows = new int[g.kh()], rowTaps = new int[g.kh()];
            for (long plane = r0; plane < r1; plane++) {
                int c = (int) (plane % m);
                MemorySegment.copy(w, ValueLayout.JAVA_FLOAT, (long) c * taps * Float.BYTES, wk, 0, taps);
                float b = bias.length == 0 ? 0 : bias[c];
                long xo = plane * hw, yo = plane * p;
                for (int iy = 0; iy < g.h(); iy++) {
                    MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xo + (long) iy * g.w()) * Float.BYTES, xp, (iy + g.ph()) * wp + g.pw(), g.w());
                }
                for (int oy = 0; oy < g.oh(); oy++) {
                    // the kernel rows that meet the image: their start in xp and their first tap
                    int used = 0;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.sh() - g.ph() + ky * g.dh();
                        if (iy < 0 || iy >= g.h()) continue;
                        rows[used] = (iy + g.ph()) * wp;
                        rowTaps[used++] = ky * g.kw();
                    }
                    int ox = 0;
                    if (g.sw() == 1) {
                        for (; ox <= g.ow() - Gemm.L; ox += Gemm.L) {
                            FloatVector acc = FloatVector.broadcast(Gemm.S, b);
                            for (int r = 0; r < used; r++) {
                                int base = rows[r] + ox, t = rowTaps[r];
                                for (int kx = 0; kx < g.kw(); kx++) acc = FloatVector.fromArray(Gemm.S, xp, base + kx * g.dw()).fma(FloatVector.broadcast(Gemm.S, wk[t + kx]), acc);
                            }
                            acc.intoArray(out, ox);
                        }
                    }
                    for (; ox < g.ow(); ox++) {
                        float acc = b;
                        for (int r = 0; r < used; r++) {
                            int base = rows[r] + ox * g.sw(), t = rowTaps[r];
                            for (int kx = 0; kx < g.kw(); kx++) acc = Math.fma(xp[base + kx * g.dw()], wk[t + kx], acc);
                        }
                        out[ox] = acc;
                    }
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (yo + (long) oy * g.ow()) * Float.BYTES, g.ow());
                }
                if (epilogue != null) epilogue.apply(y, yo, g.ow(), g.oh(), g.ow());
            }
        });
    }
}
