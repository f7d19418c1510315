package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.eval.ResizeKernel;

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
                double c = ResizeKernel.source(op.coordinateTransform(), o, scale, in, out);
                if (op.mode() == LayoutOp.ResizeMode.NEAREST) {
                    lo[o] = hi[o] = (int) ResizeKernel.nearest(op.nearestMode(), c, in);
                } else {
                    c = Math.clamp(c, 0, in - 1);
                    lo[o] = (int) Math.floor(c);
                    hi[o] = (int) Math.min(lo[o] + 1, in - 1);
                    w[o] = c - lo[o];
                }
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
                    double w00 = wy0 * wx0, w10 = wy * wx0, w01 = wy0 * wx, w11 = wy * wx;
                    for (int k = 0; k < c; k++) {
                        int ch = order[k];
                        double sum = 0;
                        if (w00 != 0) sum += w00 * src[r0 + c0 + ch];
                        if (w10 != 0) sum += w10 * src[r1 + c0 + ch];
                        if (w01 != 0) sum += w01 * src[r0 + c1 + ch];
                        if (w11 != 0) sum += w11 * src[r1 + c1 + ch];
                        dst[outPixel + k * outStride] = (float) ((float) sum * a[k] + b[k]);
                    }
                }
            }
        }
    }
}
