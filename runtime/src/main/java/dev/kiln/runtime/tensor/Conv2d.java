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

    /** The patches of one image and group as a packed K×P operand (zeros where the kernel meets padding). */
    static PackedB im2colPacked(MemorySegment x, long xOff, ConvGeometry2d g, float[] dst) {
        int nr = Gemm.NR, k = g.k(), p = g.p();
        for (int c = 0; c < g.cg(); c++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    int row = (c * g.kh() + ky) * g.kw() + kx;
                    long plane = xOff + (long) c * g.h() * g.w();
                    for (int q = 0; q < PackedB.panels(p) * nr; q++) {
                        float v = 0;
                        if (q < p) {
                            int oy = q / g.ow(), ox = q - oy * g.ow();
                            int iy = oy * g.sh() - g.ph() + ky * g.dh(), ix = ox * g.sw() - g.pw() + kx * g.dw();
                            if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) v = x.getAtIndex(ValueLayout.JAVA_FLOAT, plane + (long) iy * g.w() + ix);
                        }
                        dst[(q / nr) * k * nr + row * nr + (q % nr)] = v;
                    }
                }
            }
        }
        return PackedB.wrap(dst, k, p);
    }

    /**
     * One input plane per output plane. Each plane is copied once into a zero-padded heap row-major
     * array, so the tap loops have no bounds tests; with unit horizontal stride an output row is
     * accumulated tap by tap as vector FMAs over contiguous input, otherwise element by element.
     */
    private static void depthwise(TensorThreads threads, MemorySegment x, MemorySegment w, float[] bias, MemorySegment y,
                                  int n, int m, ConvGeometry2d g, GemmEpilogue epilogue) {
        int hw = g.h() * g.w(), taps = g.kh() * g.kw(), p = g.p();
        int wp = g.w() + g.pw() + g.pew(), hp = g.h() + g.ph() + g.peh();
        threads.forRanges((long) n * m, 1, (r0, r1) -> {
            float[] wk = new float[taps], xp = new float[hp * wp], acc = new float[g.ow()];
            for (long plane = r0; plane < r1; plane++) {
                int c = (int) (plane % m);
                MemorySegment.copy(w, ValueLayout.JAVA_FLOAT, (long) c * taps * Float.BYTES, wk, 0, taps);
                float b = bias.length == 0 ? 0 : bias[c];
                long xo = plane * hw, yo = plane * p;
                for (int iy = 0; iy < g.h(); iy++) {
                    MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (xo + (long) iy * g.w()) * Float.BYTES, xp, (iy + g.ph()) * wp + g.pw(), g.w());
                }
                for (int oy = 0; oy < g.oh(); oy++) {
                    java.util.Arrays.fill(acc, b);
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int rowBase = (oy * g.sh() + ky * g.dh()) * wp;
                        for (int kx = 0; kx < g.kw(); kx++) {
                            float wv = wk[ky * g.kw() + kx];
                            int base = rowBase + kx * g.dw();
                            if (g.sw() == 1) {
                                FloatVector vw = FloatVector.broadcast(Gemm.S, wv);
                                int ox = 0;
                                for (; ox <= g.ow() - Gemm.L; ox += Gemm.L) {
                                    FloatVector.fromArray(Gemm.S, xp, base + ox).fma(vw, FloatVector.fromArray(Gemm.S, acc, ox)).intoArray(acc, ox);
                                }
                                for (; ox < g.ow(); ox++) acc[ox] = Math.fma(xp[base + ox], wv, acc[ox]);
                            } else {
                                for (int ox = 0; ox < g.ow(); ox++) acc[ox] = Math.fma(xp[base + ox * g.sw()], wv, acc[ox]);
                            }
                        }
                    }
                    MemorySegment.copy(acc, 0, y, ValueLayout.JAVA_FLOAT, (yo + (long) oy * g.ow()) * Float.BYTES, g.ow());
                }
                if (epilogue != null) epilogue.apply(y, yo, g.ow(), g.oh(), g.ow());
            }
        });
    }
}
