package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.eval.ResizeKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel of a fused image preprocessing node ({@code FusedOp.ResizeNormalize}): images
 * [n, h, w, c] (as floats) resized over h and w, channels reordered, a per-channel affine map
 * {@code v * a[k] + b[k]} applied (the node's ADD/SUB/MUL/DIV steps collapsed), written NCHW or
 * NHWC - one pass, no intermediate image. Source coordinates, clamping and the order of the
 * interpolation sum are the reference Resize's, so the resized value is bit for bit the
 * interpreter's; the affine map is computed in double and rounded once.
 */
public final class ResizeNormalize {
    private ResizeNormalize() {}

    /** Where each output row (or column) reads: the lower and upper source index and the upper weight. */
    private record Taps(int[] lo, int[] hi, double[] weight) {
        static Taps of(LayoutOp.Resize op, long in, long out) {
            int[] lo = new int[(int) out], hi = new int[(int) out];
            double[] w = new double[(int) out];
            double scale = (double) out / in;
            for (int o = 0; o < out; o++) {
                // the reference's taps: one for nearest, the lower and upper neighbour for linear
                ResizeKernel.Taps t = ResizeKernel.taps(op, ResizeKernel.source(op.coordinateTransform(), o, scale, in, out), in);
                lo[o] = t.at()[0];
                hi[o] = t.at()[t.at().length - 1];
                w[o] = t.at().length == 1 ? 0 : t.weight()[1];
            }
            return new Taps(lo, hi, w);
        }
    }

    /**
     * @param src the images, [n, h, w, c] row-major
     * @param order output channel k reads input channel order[k]
     * @param a per output channel, the factor; @param b the offset
     * @param dst [n, c, oh, ow] when {@code channelsFirst}, else [n, oh, ow, c]
     */
    public static void run(LayoutOp.Resize op, float[] src, int n, int h, int w, int c, int oh, int ow, int[] order, double[] a, double[] b,
                           boolean channelsFirst, float[] dst) {
        if (order.length != c || a.length != c || b.length != c) throw new IllegalArgumentException("per-channel arrays must have " + c + " entries");
        if (src.length != (long) n * h * w * c || dst.length != (long) n * oh * ow * c) throw new IllegalArgumentException("image buffers do not match their shapes");
        Taps ty = Taps.of(op, h, oh), tx = Taps.of(op, w, ow);
        boolean nearest = op.mode() == LayoutOp.ResizeMode.NEAREST;
        int rowIn = w * c, plane = oh * ow;
        int outStride = channelsFirst ? plane : 1;
        // per output column: its two source offsets within a row, computed once for all rows; per pixel its four corner
        // weights, once for all channels
        int[] c0s = new int[ow], c1s = new int[ow];
        for (int x = 0; x < ow; x++) {
            c0s[x] = tx.lo[x] * c;
            c1s[x] = tx.hi[x] * c;
        }
        if (!nearest && channelsFirst && finite(src)) {
            linearPlanes(src, n, h, w, c, oh, ow, ty, tx, c0s, c1s, order, a, b, dst);
            return;
        }
        for (int img = 0; img < n; img++) {
            int base = img * h * rowIn;
            for (int y = 0; y < oh; y++) {
                int r0 = base + ty.lo[y] * rowIn, r1 = base + ty.hi[y] * rowIn;
                double wy = ty.weight[y], wy0 = 1 - wy;
                int rowOut = channelsFirst ? img * c * plane + y * ow : (img * oh + y) * ow * c;
                for (int x = 0; x < ow; x++) {
                    int c0 = c0s[x], c1 = c1s[x];
                    int outPixel = channelsFirst ? rowOut + x : rowOut + x * c;
                    if (nearest) {
                        for (int k = 0; k < c; k++) dst[outPixel + k * outStride] = (float) (src[r0 + c0 + order[k]] * a[k] + b[k]);
                        continue;
                    }
                    // the reference's corner order: (y lo, x lo), (y hi, x lo), (y lo, x hi), (y hi, x hi); zero weights skipped
                    double wx = tx.weight[x], wx0 = 1 - wx;
                    for (int k = 0; k < c; k++) {
                        int ch = order[k];
                        dst[outPixel + k * outStride] = (float) (bilinear(src, r0 + c0 + ch, r1 + c0 + ch, r0 + c1 + ch, r1 + c1 + ch, wy, wy0, wx, wx0) * a[k] + b[k]);
                    }
                }
            }
        }
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes: gathered, then widened lane for lane. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(D.vectorBitSize() / 2));

    private static boolean finite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) return false;
        }
        return true;
    }

    /**
     * The bilinear NCHW case by vectors of output columns: each corner gathered (an output
     * column's source offsets are {@code c0s}/{@code c1s}), widened to double and summed in the
     * scalar loop's order. Every term is added, where the scalar loop skips those of zero weight:
     * over finite pixels such a term is a zero that leaves the sum as it is, and the sum starts at
     * +0.0 as the scalar's does, so the values are the same bit for bit.
     */
    private static void linearPlanes(float[] src, int n, int h, int w, int c, int oh, int ow, Taps ty, Taps tx, int[] c0s, int[] c1s, int[] order,
                                     double[] a, double[] b, float[] dst) {
        int rowIn = w * c, plane = oh * ow, lanes = D.length();
        double[] wx = tx.weight, wx0 = new double[ow];
        for (int x = 0; x < ow; x++) wx0[x] = 1 - wx[x];
        DoubleVector zero = DoubleVector.zero(D);
        for (int img = 0; img < n; img++) {
            int base = img * h * rowIn;
            for (int y = 0; y < oh; y++) {
                int r0 = base + ty.lo[y] * rowIn, r1 = base + ty.hi[y] * rowIn;
                double wy = ty.weight[y], wy0 = 1 - wy;
                for (int k = 0; k < c; k++) {
                    int ch = order[k], out = (img * c + k) * plane + y * ow, x = 0;
                    for (; x + lanes <= ow; x += lanes) {
                        DoubleVector vx = DoubleVector.fromArray(D, wx, x), vx0 = DoubleVector.fromArray(D, wx0, x);
                        DoubleVector v00 = widen(src, r0 + ch, c0s, x), v10 = widen(src, r1 + ch, c0s, x);
                        DoubleVector v01 = widen(src, r0 + ch, c1s, x), v11 = widen(src, r1 + ch, c1s, x);
                        DoubleVector sum = zero.add(vx0.mul(wy0).mul(v00)).add(vx0.mul(wy).mul(v10)).add(vx.mul(wy0).mul(v01)).add(vx.mul(wy).mul(v11));
                        DoubleVector rounded = (DoubleVector) sum.convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, D, 0);
                        rounded.mul(a[k]).add(b[k]).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(dst, out + x);
                    }
                    for (; x < ow; x++) {
                        float v = bilinear(src, r0 + c0s[x] + ch, r1 + c0s[x] + ch, r0 + c1s[x] + ch, r1 + c1s[x] + ch, wy, wy0, wx[x], wx0[x]);
                        dst[out + x] = (float) (v * a[k] + b[k]);
                    }
                }
            }
        }
    }

    /**
     * One interpolated value, rounded to float: the corners (y lo, x lo), (y hi, x lo), (y lo, x hi),
     * (y hi, x hi) at these offsets, in the reference's order, zero weights skipped.
     */
    private static float bilinear(float[] src, int v00, int v10, int v01, int v11, double wy, double wy0, double wx, double wx0) {
        double w00 = wy0 * wx0, w10 = wy * wx0, w01 = wy0 * wx, w11 = wy * wx;
        double sum = 0;
        if (w00 != 0) sum += w00 * src[v00];
        if (w10 != 0) sum += w10 * src[v10];
        if (w01 != 0) sum += w01 * src[v01];
        if (w11 != 0) sum += w11 * src[v11];
        return (float) sum;
    }

    private static DoubleVector widen(float[] src, int offset, int[] columns, int x) {
        return (DoubleVector) FloatVector.fromArray(F, src, offset, columns, x).convertShape(VectorOperators.F2D, D, 0);
    }
}
