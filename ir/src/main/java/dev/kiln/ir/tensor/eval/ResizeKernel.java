package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.LayoutOp.CoordinateTransform;
import dev.kiln.ir.tensor.Tensor;

/**
 * Resize by nearest neighbour or n-linear interpolation. Each output coordinate is mapped back to
 * the input by the coordinate transformation; linear interpolation clamps the source coordinate to
 * [0, size-1] (the ONNX reference pads with edge values, which is the same).
 */
public final class ResizeKernel {
    private ResizeKernel() {}

    /** {@code scales[d]} per axis: the given scale, or out/in when sizes were given; 1 on other axes. */
    static Tensor resize(Tensor x, LayoutOp.Resize op, double[] scales, long[] outShape) {
        long[] xs = x.shape();
        int r = xs.length;
        // Source coordinates depend on one axis each, so work them out once per axis and output index.
        double[][] coord = new double[r][];
        for (int d = 0; d < r; d++) {
            coord[d] = new double[(int) outShape[d]];
            for (int o = 0; o < outShape[d]; o++) coord[d][o] = source(op.coordinateTransform(), o, scales[d], xs[d], outShape[d]);
        }
        int[] inStrides = Indexing.strides(xs), idx = new int[r];
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int e = 0; e < y.size(); e++) {
            Indexing.unravel(e, outShape, idx);
            if (op.mode() == LayoutOp.ResizeMode.NEAREST) {
                int off = 0;
                for (int d = 0; d < r; d++) off += (int) nearest(op.nearestMode(), coord[d][idx[d]], xs[d]) * inStrides[d];
                y.copy(e, x, off);
            } else {
                y.setDouble(e, linear(x, xs, inStrides, coord, idx));
            }
        }
        return y.build();
    }

    public static double source(CoordinateTransform mode, long o, double scale, long in, long out) {
        return switch (mode) {
            case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
            case PYTORCH_HALF_PIXEL -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case ASYMMETRIC -> o / scale;
            case ALIGN_CORNERS -> out == 1 ? 0 : o * (double) (in - 1) / (out - 1);
        };
    }

    public static long nearest(LayoutOp.NearestMode mode, double c, long in) {
        double f = Math.floor(c);
        boolean half = c - f == 0.5;
        long i = (long) switch (mode) {
            case ROUND_PREFER_FLOOR -> half ? f : Math.round(c);
            case ROUND_PREFER_CEIL -> half ? f + 1 : Math.round(c);
            case FLOOR -> f;
            case CEIL -> Math.ceil(c);
        };
        return Math.clamp(i, 0, in - 1);
    }

    private static double linear(Tensor x, long[] xs, int[] strides, double[][] coord, int[] idx) {
        int r = xs.length;
        int[] lo = new int[r], hi = new int[r];
        double[] w = new double[r];
        for (int d = 0; d < r; d++) {
            double c = Math.clamp(coord[d][idx[d]], 0, xs[d] - 1);
            lo[d] = (int) Math.floor(c);
            hi[d] = (int) Math.min(lo[d] + 1, xs[d] - 1);
            w[d] = c - lo[d];
        }
        double sum = 0;
        for (int corner = 0; corner < (1 << r); corner++) {
            double weight = 1;
            int off = 0;
            for (int d = 0; d < r && weight != 0; d++) {
                boolean upper = (corner >> d & 1) == 1;
                weight *= upper ? w[d] : 1 - w[d];
                off += (upper ? hi[d] : lo[d]) * strides[d];
            }
            if (weight != 0) sum += weight * x.getDouble(off);
        }
        return sum;
    }
}
