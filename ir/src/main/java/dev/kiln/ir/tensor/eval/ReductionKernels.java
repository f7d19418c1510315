package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;

/** Reductions, ArgMax and TopK. Float sums are accumulated in double and rounded once. */
final class ReductionKernels {
    private ReductionKernels() {}

    static Tensor reduce(ReductionOp.ReduceFn fn, Tensor x, boolean[] reduced, long[] outShape) {
        long[] xs = x.shape();
        // Output index of each input element: its index with the reduced axes dropped.
        long[] kept = new long[xs.length];
        for (int d = 0; d < xs.length; d++) kept[d] = reduced[d] ? 1 : xs[d];
        int n = Indexing.count(kept);
        double[] acc = new double[n];
        long[] lacc = new long[n];
        double init = switch (fn) { case SUM, MEAN -> 0; case PROD -> 1; case MAX -> Double.NEGATIVE_INFINITY; case MIN -> Double.POSITIVE_INFINITY; };
        Arrays.fill(acc, init);
        boolean integer = x.type().isInteger();
        if (integer) Arrays.fill(lacc, switch (fn) {
            case SUM, MEAN -> 0L; case PROD -> 1L; case MAX -> x.type().minValue(); case MIN -> x.type().maxValue();
        });
        int[] idx = new int[xs.length], keptStrides = Indexing.strides(kept);
        for (int e = 0; e < x.size(); e++) {
            Indexing.unravel(e, xs, idx);
            int o = 0;
            for (int d = 0; d < xs.length; d++) if (!reduced[d]) o += idx[d] * keptStrides[d];
            if (integer) {
                long v = x.getLong(e);
                lacc[o] = switch (fn) { case SUM, MEAN -> lacc[o] + v; case PROD -> lacc[o] * v; case MAX -> Math.max(lacc[o], v); case MIN -> Math.min(lacc[o], v); };
            } else {
                double v = x.getDouble(e);
                acc[o] = switch (fn) { case SUM, MEAN -> acc[o] + v; case PROD -> acc[o] * v; case MAX -> Math.max(acc[o], v); case MIN -> Math.min(acc[o], v); };
            }
        }
        int count = n == 0 ? 0 : x.size() / n;
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int o = 0; o < n; o++) {
            if (integer) y.setLong(o, x.type().wrap(fn == ReductionOp.ReduceFn.MEAN ? lacc[o] / count : lacc[o]));
            else y.setDouble(o, fn == ReductionOp.ReduceFn.MEAN ? acc[o] / count : acc[o]);
        }
        return y.build();
    }

    static Tensor argMax(Tensor x, int axis, boolean selectLast, long[] outShape) {
        long[] xs = x.shape();
        int dim = (int) xs[axis], inner = Indexing.product(xs, axis + 1, xs.length), outer = Indexing.product(xs, 0, axis);
        Tensor.Builder y = Tensor.builder(ElementType.INT64, outShape);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                for (int d = 1; d < dim; d++) {
                    int c = compare(x, (o * dim + d) * inner + i, (o * dim + best) * inner + i);
                    if (c > 0 || (c == 0 && selectLast)) best = d;
                }
                y.setLong(o * inner + i, best);
            }
        }
        return y.build();
    }

    static Tensor[] topK(Tensor x, int axis, int k, boolean largest, long[] outShape) {
        long[] xs = x.shape();
        int dim = (int) xs[axis], inner = Indexing.product(xs, axis + 1, xs.length), outer = Indexing.product(xs, 0, axis);
        Tensor.Builder values = Tensor.builder(x.type(), outShape), indices = Tensor.builder(ElementType.INT64, outShape);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                final int base = o * dim * inner + i;
                Comparator<Integer> byValue = (p, q) -> compare(x, base + p * inner, base + q * inner);
                // Stable sort keeps equal values in index order, the tie rule ONNX states.
                Integer[] order = new Integer[dim];
                for (int d = 0; d < dim; d++) order[d] = d;
                Arrays.sort(order, largest ? byValue.reversed() : byValue);
                for (int j = 0; j < k; j++) {
                    int at = (o * k + j) * inner + i;
                    values.copy(at, x, base + order[j] * inner);
                    indices.setLong(at, order[j]);
                }
            }
        }
        return new Tensor[] {values.build(), indices.build()};
    }

    private static int compare(Tensor x, int a, int b) {
        if (x.type().isInteger()) {
            return x.type() == ElementType.UINT64 ? Long.compareUnsigned(x.getLong(a), x.getLong(b)) : Long.compare(x.getLong(a), x.getLong(b));
        }
        return Double.compare(x.getDouble(a), x.getDouble(b));
    }
}
