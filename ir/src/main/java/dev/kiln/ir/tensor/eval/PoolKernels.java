package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ConvGeometry;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.Window;
import java.util.List;

/** Max and average pooling over the spatial axes of [N, C, spatial...]. */
final class PoolKernels {
    private PoolKernels() {}

    /**
     * Max ignores padding; average divides by the window positions inside the input, or with
     * {@code countIncludePad} by those inside the padded input [-padBegin, size + padEnd), so that a
     * ceil_mode window reaching past the end padding is not charged for it (as ONNX Runtime does).
     */
    static Tensor pool(Tensor x, Window w, boolean ceilMode, boolean max, boolean countIncludePad) {
        return pools(x, w, ceilMode, max, countIncludePad, false, false).getFirst();
    }

    /**
     * Max pooling with the Indices output too: each maximum's position in X flattened (its
     * spatial part row-major, or column-major): Y, then Indices (INT64, Y's shape).
     */
    static List<Tensor> maxWithIndices(Tensor x, Window w, boolean ceilMode, boolean columnMajor) {
        return pools(x, w, ceilMode, true, false, true, columnMajor);
    }

    /** Y, and Indices after it when {@code withIndices}. */
    private static List<Tensor> pools(Tensor x, Window w, boolean ceilMode, boolean max, boolean countIncludePad, boolean withIndices,
                                      boolean columnMajor) {
        long[] xs = x.shape();
        int r = xs.length - 2;
        long[] kernel = w.kernelShape().stream().mapToLong(Long::longValue).toArray();
        long[] in = java.util.Arrays.copyOfRange(xs, 2, xs.length);
        ConvGeometry geo = ConvGeometry.forward(w, kernel, in, ceilMode);
        long[] ys = new long[xs.length];
        ys[0] = xs[0];
        ys[1] = xs[1];
        System.arraycopy(geo.outSize(), 0, ys, 2, r);
        Tensor.Builder y = Tensor.builder(x.type(), ys);
        Tensor.Builder indices = withIndices ? Tensor.builder(dev.kiln.ir.tensor.ElementType.INT64, ys) : null;
        int planes = (int) (xs[0] * xs[1]), inSpatial = Indexing.count(in), outSpatial = Indexing.count(geo.outSize());
        int kSpatial = Indexing.count(kernel);
        int[] inStrides = Indexing.strides(in);
        // the position Indices reports: the spatial part row-major, or column-major (first axis fastest)
        int[] reportStrides = new int[r];
        for (int d = 0, s = 1; d < r; d++) {
            int axis = columnMajor ? d : r - 1 - d;
            reportStrides[axis] = s;
            s *= (int) in[axis];
        }
        int[] o = new int[r], k = new int[r];
        for (int p = 0; p < planes; p++) {
            for (int op = 0; op < outSpatial; op++) {
                Indexing.unravel(op, geo.outSize(), o);
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                int valid = 0, padded = 0, argmax = -1;
                for (int kp = 0; kp < kSpatial; kp++) {
                    Indexing.unravel(kp, kernel, k);
                    boolean inside = true, insidePadded = true;
                    int off = 0, report = 0;
                    for (int d = 0; d < r; d++) {
                        long pos = o[d] * geo.strides()[d] + k[d] * geo.dilations()[d] - geo.padBegin()[d];
                        inside &= pos >= 0 && pos < in[d];
                        insidePadded &= pos >= -geo.padBegin()[d] && pos < in[d] + geo.padEnd()[d];
                        off += (int) pos * inStrides[d];
                        report += (int) pos * reportStrides[d];
                    }
                    if (insidePadded) padded++;
                    if (!inside) continue;
                    valid++;
                    double v = x.getDouble(p * inSpatial + off);
                    if (max && (argmax < 0 || v > acc)) argmax = report;
                    acc = max ? Math.max(acc, v) : acc + v;
                }
                int at = p * outSpatial + op;
                if (indices != null) indices.setLong(at, (long) p * inSpatial + argmax);
                if (x.type().isInteger()) y.setLong(at, (long) acc);
                else y.setDouble(at, max ? acc : acc / (countIncludePad ? padded : valid));
            }
        }
        return indices == null ? List.of(y.build()) : List.of(y.build(), indices.build());
    }

    static Tensor global(Tensor x, boolean max) {
        long[] xs = x.shape();
        long[] ys = xs.clone();
        for (int i = 2; i < ys.length; i++) ys[i] = 1;
        int planes = (int) (xs[0] * xs[1]), spatial = Indexing.product(xs, 2, xs.length);
        Tensor.Builder y = Tensor.builder(x.type(), ys);
        for (int p = 0; p < planes; p++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < spatial; i++) {
                double v = x.getDouble(p * spatial + i);
                acc = max ? Math.max(acc, v) : acc + v;
            }
            y.setDouble(p, max ? acc : acc / spatial);
        }
        return y.build();
    }
}
