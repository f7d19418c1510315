package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.LayoutOp.CoordinateTransform;
import dev.kiln.ir.tensor.Tensor;

/**
 * Resize by nearest neighbour, n-linear or cubic interpolation. Each output coordinate is mapped
 * back to the input by the coordinate transformation; each axis then gives, per output index,
 * the input indices it reads and their weights (one, two or four), and an output element is the
 * sum over the tensor product of its axes' taps - separable, as ONNX's reference interpolates
 * axis by axis. Linear interpolation clamps the source coordinate to [0, size-1] and cubic reads
 * neighbours past the edge as the edge value (the ONNX reference pads with edge values, which is
 * the same), unless exclude_outside gives them no weight.
 */
public final class ResizeKernel {
    private ResizeKernel() {}

    /** One axis's taps for one output index: input indices and their weights. */
    public record Taps(int[] at, double[] weight) {}

    /**
     * {@code scales[d]} per axis: the given scale, or out/in when sizes were given; 1 on other
     * axes. {@code roi[d]} is axis d's region {start, end} (tf_crop_and_resize; {0, 1} elsewhere).
     */
    static Tensor resize(Tensor x, LayoutOp.Resize op, double[] scales, double[][] roi, long[] outShape) {
        long[] xs = x.shape();
        int r = xs.length;
        // Source coordinates depend on one axis each, so work out the taps once per axis and output index.
        Taps[][] taps = new Taps[r][];
        for (int d = 0; d < r; d++) {
            taps[d] = new Taps[(int) outShape[d]];
            for (int o = 0; o < outShape[d]; o++) {
                double c = source(op.coordinateTransform(), o, scales[d], xs[d], outShape[d], roi[d][0], roi[d][1]);
                boolean outside = op.coordinateTransform() == CoordinateTransform.TF_CROP_AND_RESIZE && (c < 0 || c > xs[d] - 1);
                taps[d][o] = outside ? OUTSIDE : taps(op, c, xs[d]);
            }
        }
        int[] inStrides = Indexing.strides(xs), idx = new int[r];
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int e = 0; e < y.size(); e++) {
            Indexing.unravel(e, outShape, idx);
            if (outside(taps, idx)) {
                // the region reaches past the input here: the extrapolation value, as TensorFlow's crop_and_resize writes
                y.setDouble(e, op.extrapolationValue());
            } else if (op.mode() == LayoutOp.ResizeMode.NEAREST) {
                int off = 0;
                for (int d = 0; d < r; d++) off += taps[d][idx[d]].at()[0] * inStrides[d];
                y.copy(e, x, off);
            } else {
                y.setDouble(e, sum(x, taps, idx, inStrides));
            }
        }
        return y.build();
    }

    /** The taps of a coordinate past the input (tf_crop_and_resize): none. */
    private static final Taps OUTSIDE = new Taps(new int[0], new double[0]);

    private static boolean outside(Taps[][] taps, int[] idx) {
        for (int d = 0; d < taps.length; d++) if (taps[d][idx[d]] == OUTSIDE) return true;
        return false;
    }

    /**
     * The sum over the tensor product of the axes' taps, the first axis's varying fastest, each
     * term's weight the product of its axes' weights in axis order, terms of weight 0 skipped -
     * the order the fused ResizeNormalize kernel repeats to give the same floats bit for bit.
     */
    private static double sum(Tensor x, Taps[][] taps, int[] idx, int[] strides) {
        int r = taps.length;
        int[] k = new int[r];
        double sum = 0;
        while (true) {
            double weight = 1;
            int off = 0;
            for (int d = 0; d < r && weight != 0; d++) {
                Taps t = taps[d][idx[d]];
                weight *= t.weight()[k[d]];
                off += t.at()[k[d]] * strides[d];
            }
            if (weight != 0) sum += weight * x.getDouble(off);
            int d = 0;
            while (d < r && ++k[d] == taps[d][idx[d]].at().length) k[d++] = 0;
            if (d == r) return sum;
        }
    }

    /** The taps of the output index at source coordinate {@code c} on an axis of {@code in} elements. */
    public static Taps taps(LayoutOp.Resize op, double c, long in) {
        return switch (op.mode()) {
            case NEAREST -> new Taps(new int[] {(int) nearest(op.nearestMode(), c, in)}, new double[] {1});
            case LINEAR -> {
                double cc = Math.clamp(c, 0, in - 1);
                int lo = (int) Math.floor(cc);
                double w = cc - lo;
                yield new Taps(new int[] {lo, (int) Math.min(lo + 1, in - 1)}, new double[] {1 - w, w});
            }
            case CUBIC -> cubic(c, in, op.cubicCoeffA(), op.excludeOutside());
        };
    }

    /**
     * Keys' cubic convolution over the neighbours floor(c)-1 .. floor(c)+2 with coefficient
     * {@code a}. At a whole coordinate the reference takes the ratio as 1, not 0, over the
     * neighbours c-2 .. c+1 (the nearest four, ties to the lower index): the weights are then
     * 0, 0, 1, 0 - the value itself, as at ratio 0.
     */
    static Taps cubic(double c, long in, double a, boolean excludeOutside) {
        long f = (long) Math.floor(c);
        double t = c - f;
        if (t == 0) {
            t = 1;
            f -= 1;
        }
        double[] w = {((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a, ((a + 2) * t - (a + 3)) * t * t + 1,
                ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1, ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a};
        int[] at = new int[4];
        double kept = 0;
        for (int k = 0; k < 4; k++) {
            long i = f - 1 + k;
            if (excludeOutside && (i < 0 || i >= in)) w[k] = 0;
            kept += w[k];
            at[k] = (int) Math.clamp(i, 0, in - 1);
        }
        if (excludeOutside) for (int k = 0; k < 4; k++) w[k] /= kept;
        return new Taps(at, w);
    }

    public static double source(CoordinateTransform mode, long o, double scale, long in, long out) {
        return source(mode, o, scale, in, out, 0, 1);
    }

    /** The source coordinate of output index {@code o}; {@code start} and {@code end} bound the region tf_crop_and_resize reads. */
    public static double source(CoordinateTransform mode, long o, double scale, long in, long out, double start, double end) {
        return switch (mode) {
            case TF_CROP_AND_RESIZE -> (out > 1 ? o * (end - start) * (in - 1) / (out - 1) : (end - start) * (in - 1) / 2) + start * (in - 1);
            case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
            case PYTORCH_HALF_PIXEL -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case ASYMMETRIC -> o / scale;
            case ALIGN_CORNERS -> out == 1 ? 0 : o * (double) (in - 1) / (out - 1);
            case TF_HALF_PIXEL_FOR_NN -> (o + 0.5) / scale;
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
}
