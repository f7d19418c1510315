package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import java.util.Optional;

/** Linear (de)quantization; rounding is half to even, results saturate to the integer type. */
final class QuantKernels {
    private QuantKernels() {}

    /** Index of the scale (and zero point) that applies to element {@code e} of x. */
    static int paramIndex(int e, long[] xs, int axis, long blockSize, int paramCount) {
        if (paramCount == 1 && blockSize == 0) return 0;
        int dim = (int) xs[axis], inner = Indexing.product(xs, axis + 1, xs.length);
        int coord = (e / inner) % dim;
        if (blockSize == 0) return coord;
        int outer = e / (inner * dim), blocks = (int) Math.ceilDiv(dim, blockSize);
        return (outer * blocks + coord / (int) blockSize) * inner + e % inner;
    }

    static Tensor dequantize(Tensor x, Tensor scale, Optional<Tensor> zp, int axis, long blockSize, ElementType out) {
        long[] xs = x.shape();
        Tensor.Builder y = Tensor.builder(out, xs);
        for (int e = 0; e < x.size(); e++) {
            int p = paramIndex(e, xs, axis, blockSize, scale.size());
            long z = zp.map(t -> t.getLong(p)).orElse(0L);
            // (x - zp) is exact; one product rounded to the output type is that type's multiplication.
            y.setDouble(e, (x.getLong(e) - z) * scale.getDouble(p));
        }
        return y.build();
    }

    static Tensor quantize(Tensor x, Tensor scale, Optional<Tensor> zp, int axis, long blockSize, ElementType out) {
        long[] xs = x.shape();
        Tensor.Builder y = Tensor.builder(out, xs);
        for (int e = 0; e < x.size(); e++) {
            int p = paramIndex(e, xs, axis, blockSize, scale.size());
            long z = zp.map(t -> t.getLong(p)).orElse(0L);
            y.setLong(e, out.saturateRounded(Math.rint(divide(x.getDouble(e), scale, p)) + z));
        }
        return y.build();
    }

    /** x / scale in the scale's precision (a float32 scale divides in float32). */
    static double divide(double x, Tensor scale, int p) {
        double q = x / scale.getDouble(p);
        return scale.type() == ElementType.FLOAT64 ? q : (float) q;
    }

    /** y, y_scale, y_zero_point: the range [min(0, min x), max(0, max x)] mapped onto [0, 255]. */
    static Tensor[] dynamicQuantize(Tensor x) {
        float lo = 0, hi = 0;
        for (int e = 0; e < x.size(); e++) {
            lo = Math.min(lo, (float) x.getDouble(e));
            hi = Math.max(hi, (float) x.getDouble(e));
        }
        // An all-zero input has no range: the ONNX reference then takes a range of 1 rather than divide by zero.
        float scale = (hi == lo ? 1f : hi - lo) / 255f;
        long zp = ElementType.UINT8.saturateRounded((0 - lo) / scale);
        Tensor.Builder y = Tensor.builder(ElementType.UINT8, x.shape());
        for (int e = 0; e < x.size(); e++) {
            y.setLong(e, ElementType.UINT8.saturateRounded(Math.rint((float) (x.getDouble(e) / scale)) + zp));
        }
        return new Tensor[] {y.build(), Tensor.scalar(scale), Tensor.scalar(ElementType.UINT8, zp)};
    }

    /** saturate(round(acc × multiplier) + zero point) into the zero point's type. */
    static Tensor requantize(double[] acc, double[] multiplier, int inner, int channels, Tensor yZp, long[] shape) {
        ElementType out = yZp.type();
        Tensor.Builder y = Tensor.builder(out, shape);
        long z = yZp.getLong(0);
        for (int e = 0; e < acc.length; e++) {
            double mul = multiplier.length == 1 ? multiplier[0] : multiplier[(e / inner) % channels];
            y.setLong(e, out.saturateRounded(Math.rint(acc[e] * mul) + z));
        }
        return y.build();
    }
}
