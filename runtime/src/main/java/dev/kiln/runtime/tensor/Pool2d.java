package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Max, average and global-average pooling over NCHW float32 planes, parallel over planes. */
public final class Pool2d {
    private Pool2d() {}

    /** @param planes n·c; @param countPad whether average pooling divides by the whole window, padding included */
    public static void pool(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, ConvGeometry2d g, boolean max, boolean countPad) {
        int hw = g.h() * g.w(), p = g.p();
        threads.forRanges(planes, 8, (r0, r1) -> {
            for (long plane = r0; plane < r1; plane++) {
                long xo = plane * hw, yo = plane * p;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0, window = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int iy = oy * g.sh() - g.ph() + ky * g.dh();
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int ix = ox * g.sw() - g.pw() + kx * g.dw();
                                // A window hanging past the padded input (ceil mode) counts only up to the pads.
                                if (iy < g.h() + g.peh() && ix < g.w() + g.pew()) window++;
                                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                float v = x.getAtIndex(ValueLayout.JAVA_FLOAT, xo + (long) iy * g.w() + ix);
                                if (max) acc = Math.max(acc, v);
                                else acc += v;
                                count++;
                            }
                        }
                        float out = max ? (float) acc : (float) (acc / (countPad ? window : count));
                        y.setAtIndex(ValueLayout.JAVA_FLOAT, yo + (long) oy * g.ow() + ox, out);
                    }
                }
            }
        });
    }

    public static void globalAverage(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, int hw) {
        threads.forRanges(planes, 16, (r0, r1) -> {
            for (long plane = r0; plane < r1; plane++) {
                double s = 0;
                for (long i = plane * hw, e = i + hw; i < e; i++) s += x.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                y.setAtIndex(ValueLayout.JAVA_FLOAT, plane, (float) (s / hw));
            }
        });
    }
}
