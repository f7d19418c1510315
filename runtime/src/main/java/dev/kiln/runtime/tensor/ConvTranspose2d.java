package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * 2-D transposed convolution on NCHW float32, per image and group as one GEMM and a col2im:
 * cols[(om, ky, kx), i] = Σ_ci W[ci, om, ky, kx] · X[ci, i] (W read transposed, X packed), then
 * every column entry is added at the output position it reaches, y = bias + Σ. The scatter runs
 * per output channel, so threads never write the same plane.
 */
public final class ConvTranspose2d {
    private ConvTranspose2d() {}

    /** Geometry of one transposed convolution; pads are those of {@code ConvGeometry.transposed}. */
    public record Shape(int cg, int mg, int group, int h, int w, int kh, int kw, int sh, int sw, int dh, int dw, int ph, int pw, int oh, int ow) {
        int taps() { return kh * kw; }

        /** Whether the kernel's taps tile the output (kernel = stride, no dilation, pads or extra rows): each output is one column entry. */
        boolean tiles() {
            return kh == sh && kw == sw && dh == 1 && dw == 1 && ph == 0 && pw == 0 && oh == h * sh && ow == w * sw;
        }
    }

    /**
     * @param w weights [group·cg, mg, kh, kw]; @param cols scratch of mg·kh·kw·h·w floats
     */
    public static void forward(TensorThreads threads, MemorySegment x, MemorySegment w, float[] bias, MemorySegment y, int n, Shape s,
                               MemorySegment cols, float[] packScratch) {
        int hw = s.h() * s.w(), rows = s.mg() * s.taps(), m = s.mg() * s.group(), op = s.oh() * s.ow();
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < s.group(); g++) {
                long xOff = ((long) i * s.group() + g) * s.cg() * hw;
                PackedB b = PackedB.packInto(packScratch, x, xOff, hw, false, s.cg(), hw);
                Gemm.multiply(threads, new Gemm.Operand(w, (long) g * s.cg() * rows, rows, true), b, cols, 0, hw, rows, new float[0], new float[0], null);
                long yBase = ((long) i * m + (long) g * s.mg()) * op;
                int group = g;
                if (s.tiles()) {
                    // per output channel and input row: the kh output rows it makes
                    threads.forWork((long) s.mg() * s.h(), (long) s.kh() * s.ow() * TensorThreads.MEMORY_PASS, (r0, r1) -> {
                        float[] in = new float[s.kw() * s.w()], out = new float[s.ow()];
                        for (long r = r0; r < r1; r++) {
                            int om = (int) (r / s.h()), iy = (int) (r % s.h());
                            untile(cols, s, om, iy, y, yBase + (long) om * op, bias.length == 0 ? 0 : bias[group * s.mg() + om], in, out);
                        }
                    });
                } else {
                    threads.forWork(s.mg(), (long) op * s.taps(), (o0, o1) -> {
                        for (int om = (int) o0; om < o1; om++) col2im(cols, s, om, y, yBase + (long) om * op, bias.length == 0 ? 0 : bias[group * s.mg() + om]);
                    });
                }
            }
        }
    }

    /**
     * col2im where the taps tile the output, for input row {@code iy}: output row iy·sh + ky is the
     * kw column rows of tap row ky interleaved (output column ix·sw + kx from tap kx), plus the
     * bias, built on the heap (two-vector permutes for sw = 2) and stored with one copy.
     */
    private static void untile(MemorySegment cols, Shape s, int om, int iy, MemorySegment y, long yOff, float bias, float[] in, float[] out) {
        int hw = s.h() * s.w(), w = s.w(), sw = s.sw(), l = Gemm.L;
        for (int ky = 0; ky < s.kh(); ky++) {
            for (int kx = 0; kx < s.kw(); kx++) {
                long row = ((long) om * s.taps() + ky * s.kw() + kx) * hw + (long) iy * w;
                MemorySegment.copy(cols, ValueLayout.JAVA_FLOAT, row * Float.BYTES, in, kx * w, w);
            }
            int ix = 0;
            if (sw == 2) {
                FloatVector bv = FloatVector.broadcast(Gemm.S, bias);
                for (; ix + l <= w; ix += l) {
                    FloatVector a = FloatVector.fromArray(Gemm.S, in, ix), b = FloatVector.fromArray(Gemm.S, in, w + ix);
                    a.rearrange(ZIP_LOW, b).add(bv).intoArray(out, 2 * ix);
                    a.rearrange(ZIP_HIGH, b).add(bv).intoArray(out, 2 * ix + l);
                }
            }
            for (; ix < w; ix++) {
                for (int kx = 0; kx < sw; kx++) out[ix * sw + kx] = in[kx * w + ix] + bias;
            }
            MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, (yOff + (long) (iy * s.sh() + ky) * s.ow()) * Float.BYTES, s.ow());
        }
    }

    private static final VectorShuffle<Float> ZIP_LOW = VectorShuffle.makeZip(Gemm.S, 0);
    private static final VectorShuffle<Float> ZIP_HIGH = VectorShuffle.makeZip(Gemm.S, 1);

    private static void col2im(MemorySegment cols, Shape s, int om, MemorySegment y, long yOff, float bias) {
        int op = s.oh() * s.ow(), hw = s.h() * s.w();
        for (int p = 0; p < op; p++) y.setAtIndex(ValueLayout.JAVA_FLOAT, yOff + p, bias);
        for (int ky = 0; ky < s.kh(); ky++) {
            for (int kx = 0; kx < s.kw(); kx++) {
                long row = ((long) om * s.taps() + ky * s.kw() + kx) * hw;
                for (int iy = 0; iy < s.h(); iy++) {
                    int oy = iy * s.sh() + ky * s.dh() - s.ph();
                    if (oy < 0 || oy >= s.oh()) continue;
                    for (int ix = 0; ix < s.w(); ix++) {
                        int ox = ix * s.sw() + kx * s.dw() - s.pw();
                        if (ox < 0 || ox >= s.ow()) continue;
                        long at = yOff + (long) oy * s.ow() + ox;
                        y.setAtIndex(ValueLayout.JAVA_FLOAT, at, y.getAtIndex(ValueLayout.JAVA_FLOAT, at)
                                + cols.getAtIndex(ValueLayout.JAVA_FLOAT, row + (long) iy * s.w() + ix));
                    }
                }
            }
        }
    }
}
