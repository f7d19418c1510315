package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.Arrays;
import java.util.Optional;

/** numpy matmul with broadcast batch axes, and Gemm. Sums are accumulated in double. */
final class MatMulKernels {
    private MatMulKernels() {}

    /**
     * The sums of (a - a_zp[row]) × (b - b_zp[col]) for every output element, in the row-major order
     * of the result shape ({@code a}/{@code b} zero points come through the operands).
     */
    static double[] matmul(ConvKernels.Operand a, long[] aShape, ConvKernels.Operand b, long[] bShape) {
        long[] as = aShape.length == 1 ? new long[] {1, aShape[0]} : aShape;
        long[] bs = bShape.length == 1 ? new long[] {bShape[0], 1} : bShape;
        int m = (int) as[as.length - 2], k = (int) as[as.length - 1], n = (int) bs[bs.length - 1];
        long[] aBatch = Arrays.copyOf(as, as.length - 2), bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = broadcastShape(aBatch, bBatch);
        int[] am = Indexing.broadcastMap(batch, aBatch), bm = Indexing.broadcastMap(batch, bBatch);
        double[] y = new double[am.length * m * n];
        for (int p = 0; p < am.length; p++) {
            int aOff = am[p] * m * k, bOff = bm[p] * k * n, yOff = p * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) acc += a.at(aOff + i * k + q, i) * b.at(bOff + q * n + j, j);
                    y[yOff + i * n + j] = acc;
                }
            }
        }
        return y;
    }

    private static long[] broadcastShape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** A zero point per row of A (or column of B): one value for all, or one per index. */
    static ConvKernels.Operand withZeroPoint(Tensor t, Optional<Tensor> zp) {
        return ConvKernels.shifted(t, zp);
    }

    static Tensor gemm(NeuralOp.Gemm g, Tensor a, Tensor b, Optional<Tensor> c, long[] yShape) {
        int m = (int) yShape[0], n = (int) yShape[1], k = (int) a.dim(g.transA() ? 0 : 1);
        int[] cm = c.map(ct -> Indexing.broadcastMap(yShape, ct.shape())).orElse(null);
        Tensor.Builder y = Tensor.builder(a.type(), yShape);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int q = 0; q < k; q++) {
                    double av = a.getDouble(g.transA() ? q * m + i : i * k + q);
                    double bv = b.getDouble(g.transB() ? j * k + q : q * n + j);
                    acc += av * bv;
                }
                double v = g.alpha() * acc;
                if (cm != null) v += g.beta() * c.get().getDouble(cm[i * n + j]);
                int at = i * n + j;
                if (a.type().isInteger()) y.setLong(at, (long) v);
                else y.setDouble(at, v);
            }
        }
        return y.build();
    }
}
