package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.Tensor;
import java.util.Optional;

/** BatchNormalization (inference), Softmax, LogSoftmax and LayerNormalization; statistics in double. */
final class NormKernels {
    private NormKernels() {}

    static Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor var, float epsilon) {
        long[] xs = x.shape();
        int c = (int) xs[1], inner = Indexing.product(xs, 2, xs.length);
        Tensor.Builder y = Tensor.builder(x.type(), xs);
        for (int i = 0; i < x.size(); i++) {
            int ch = (i / inner) % c;
            double norm = (x.getDouble(i) - mean.getDouble(ch)) / Math.sqrt(var.getDouble(ch) + epsilon);
            y.setDouble(i, norm * scale.getDouble(ch) + bias.getDouble(ch));
        }
        return y.build();
    }

    /** Softmax (or its log) over one axis: exp(x - max) / sum, the max subtracted for range. */
    static Tensor softmax(Tensor x, int axis, boolean log) {
        long[] xs = x.shape();
        int dim = (int) xs[axis], inner = Indexing.product(xs, axis + 1, xs.length), outer = Indexing.product(xs, 0, axis);
        Tensor.Builder y = Tensor.builder(x.type(), xs);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * dim * inner + in;
                double max = Double.NEGATIVE_INFINITY;
                for (int d = 0; d < dim; d++) max = Math.max(max, x.getDouble(base + d * inner));
                double sum = 0;
                for (int d = 0; d < dim; d++) sum += Math.exp(x.getDouble(base + d * inner) - max);
                for (int d = 0; d < dim; d++) {
                    double v = x.getDouble(base + d * inner) - max;
                    y.setDouble(base + d * inner, log ? v - Math.log(sum) : Math.exp(v) / sum);
                }
            }
        }
        return y.build();
    }

    /** Returns Y, Mean and InvStdDev, normalizing over the axes from {@code axis} on. */
    static Tensor[] layerNorm(Tensor x, Tensor scale, Optional<Tensor> bias, int axis, float epsilon) {
        long[] xs = x.shape();
        int outer = Indexing.product(xs, 0, axis), inner = Indexing.product(xs, axis, xs.length);
        long[] normalized = java.util.Arrays.copyOfRange(xs, axis, xs.length);
        int[] sm = Indexing.broadcastMap(normalized, scale.shape());
        int[] bm = bias.map(b -> Indexing.broadcastMap(normalized, b.shape())).orElse(null);
        long[] statShape = xs.clone();
        for (int i = axis; i < xs.length; i++) statShape[i] = 1;
        Tensor.Builder y = Tensor.builder(x.type(), xs);
        Tensor.Builder means = Tensor.builder(dev.kiln.ir.tensor.ElementType.FLOAT32, statShape);
        Tensor.Builder invs = Tensor.builder(dev.kiln.ir.tensor.ElementType.FLOAT32, statShape);
        for (int o = 0; o < outer; o++) {
            double sum = 0;
            for (int i = 0; i < inner; i++) sum += x.getDouble(o * inner + i);
            double mean = sum / inner, sq = 0;
            for (int i = 0; i < inner; i++) {
                double d = x.getDouble(o * inner + i) - mean;
                sq += d * d;
            }
            double inv = 1 / Math.sqrt(sq / inner + epsilon);
            for (int i = 0; i < inner; i++) {
                double v = (x.getDouble(o * inner + i) - mean) * inv * scale.getDouble(sm[i]);
                if (bm != null) v += bias.get().getDouble(bm[i]);
                y.setDouble(o * inner + i, v);
            }
            means.setDouble(o, mean);
            invs.setDouble(o, inv);
        }
        return new Tensor[] {y.build(), means.build(), invs.build()};
    }
}
