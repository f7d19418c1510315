package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Max, average and global-average pooling over NCHW float32 planes, parallel over planes. */
public final class Pool2d {
    private Pool2d() {}

    /**
     * @param planes n·c; @param countPad whether average pooling divides by the whole window, padding included.
     * Each plane is copied to the heap once and each output row written back in one copy.
     */
    public static void pool(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, ConvGeometry2d g, boolean max, boolean countPad) {
        if (max) {
            maxPool(threads, x, y, planes, g);
            return;
        }
        int hw = g.h() * g.w(), p = g.p();
        // a plane's work: its windows' taps, and copying it in (a memory pass)
        threads.forWork(planes, (long) p * g.kh() * g.kw() * 4 + TensorThreads.MEMORY_PASS * hw, (r0, r1) -> {
            float[] in = new float[hw], out = new float[g.ow()];
            for (long plane = r0; plane < r1; plane++) {
                MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, plane * hw * Float.BYTES, in, 0, hw);
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double acc = 0;
                        int count = 0, window = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int iy = oy * g.sh() - g.ph() + ky * g.dh();
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int ix = ox * g.sw() - g.pw() + kx * g.dw();
                                // A window hanging past the padded input (ceil mode) counts only up to the pads.
                                if (iy < g.h() + g.peh() && ix < g.w() + g.pew()) window++;
                                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                acc += in[iy * g.w() + ix];
                                count++;
                            }
                        }
                        out[ox] = (float) (acc / (countPad ? window : count));
                    }
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (plane * p + (long) oy * g.ow()) * Float.BYTES, g.ow());
                }
            }
        });
    }

    /**
     * Max pooling: each plane copied into a heap plane bordered by -∞ wide enough for every
     * window (pads and ceil-mode overhang), so no window needs a bounds check; a window's rows
     * are reduced first, a vector max down the columns, then across each column's kw neighbours
     * (vectors too), of which each output takes its column's. -∞ never wins over a value, so the border is the same as leaving those taps out;
     * NaN propagates as Math.max does.
     */
    private static void maxPool(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, ConvGeometry2d g) {
        int hw = g.h() * g.w(), p = g.p();
        int hp = Math.max(g.ph() + g.h(), (g.oh() - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
        int wp = Math.max(g.pw() + g.w(), (g.ow() - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
        threads.forWork(planes, (long) p * g.kh() * g.kw() * 4, (r0, r1) -> {
            float[] in = new float[hp * wp], out = new float[g.ow()], colMax = new float[wp], rowMax = new float[wp];
            java.util.Arrays.fill(in, Float.NEGATIVE_INFINITY); // the border: rows and columns no copy below writes
            for (long plane = r0; plane < r1; plane++) {
                if (wp == g.w()) {
                    MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, plane * hw * Float.BYTES, in, g.ph() * wp, hw);
                } else {
                    for (int iy = 0; iy < g.h(); iy++) {
                        MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, (plane * hw + (long) iy * g.w()) * Float.BYTES, in, (g.ph() + iy) * wp + g.pw(), g.w());
                    }
                }
                for (int oy = 0; oy < g.oh(); oy++) {
                    int top = oy * g.sh() * wp;
                    System.arraycopy(in, top, colMax, 0, wp);
                    for (int ky = 1; ky < g.kh(); ky++) {
                        int rk = top + ky * g.dh() * wp, j = 0;
                        for (; j <= wp - Gemm.L; j += Gemm.L) {
                            jdk.incubator.vector.FloatVector.fromArray(Gemm.S, colMax, j).max(jdk.incubator.vector.FloatVector.fromArray(Gemm.S, in, rk + j)).intoArray(colMax, j);
                        }
                        for (; j < wp; j++) colMax[j] = Math.max(colMax[j], in[rk + j]);
                    }
                    // each column's max over its window's kw columns, in vectors; the outputs pick every sw-th
                    int span = (g.ow() - 1) * g.sw() + 1, reach = (g.kw() - 1) * g.dw(), j = 0;
                    if (g.kw() == 2 || g.kw() == 3) j = windowMax(colMax, rowMax, span, wp - reach, g.kw(), g.dw(), j);
                    for (; j < span; j++) {
                        float m = colMax[j];
                        for (int kx = 1; kx < g.kw(); kx++) m = Math.max(m, colMax[j + kx * g.dw()]);
                        rowMax[j] = m;
                    }
                    if (g.sw() == 1) {
                        System.arraycopy(rowMax, 0, out, 0, g.ow());
                    } else {
                        for (int ox = 0; ox < g.ow(); ox++) out[ox] = rowMax[ox * g.sw()];
                    }
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (plane * p + (long) oy * g.ow()) * Float.BYTES, g.ow());
                }
            }
        });
    }

    /**
     * rowMax[j] = the max of colMax[j], colMax[j + dw] (and colMax[j + 2 dw] for kw = 3), in whole
     * vectors from j up to span (while the last tap's vector fits in {@code limit}); returns where
     * they stop. A loop per kind: a loop over kx around the vectors kept them in objects.
     */
    private static int windowMax(float[] colMax, float[] rowMax, int span, int limit, int kw, int dw, int j) {
        for (; j <= span - Gemm.L && j <= limit - Gemm.L; j += Gemm.L) {
            var m = jdk.incubator.vector.FloatVector.fromArray(Gemm.S, colMax, j).max(jdk.incubator.vector.FloatVector.fromArray(Gemm.S, colMax, j + dw));
            if (kw == 3) m = m.max(jdk.incubator.vector.FloatVector.fromArray(Gemm.S, colMax, j + 2 * dw));
            m.intoArray(rowMax, j);
        }
        return j;
    }

    /** Each plane's mean: per plane, float lane partial sums over whole vectors read in place, added up in double with the tail. */
    public static void globalAverage(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, int hw) {
        threads.forWork(planes, (long) hw * 4, (r0, r1) -> {
            for (long plane = r0; plane < r1; plane++) {
                long base = plane * hw * Float.BYTES;
                jdk.incubator.vector.FloatVector acc = jdk.incubator.vector.FloatVector.zero(Gemm.S);
                int i = 0;
                for (; i <= hw - Gemm.L; i += Gemm.L) acc = acc.add(jdk.incubator.vector.FloatVector.fromMemorySegment(Gemm.S, x, base + (long) i * Float.BYTES, NATIVE));
                double s = 0;
                for (int l = 0; l < Gemm.L; l++) s += acc.lane(l);
                for (; i < hw; i++) s += x.get(ValueLayout.JAVA_FLOAT, base + (long) i * Float.BYTES);
                y.setAtIndex(ValueLayout.JAVA_FLOAT, plane, (float) (s / hw));
            }
        });
    }

    private static final java.nio.ByteOrder NATIVE = java.nio.ByteOrder.nativeOrder();
}
