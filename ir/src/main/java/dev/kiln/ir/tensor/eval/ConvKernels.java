package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ConvGeometry;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.Window;
import java.util.List;

/**
 * Direct convolution loops over N-D inputs. Sums are accumulated in double: exact for the integer
 * convolutions (8-bit products summed stay far below 2^53), and at least as accurate as a float32
 * accumulator for the float ones.
 */
final class ConvKernels {
    private ConvKernels() {}

    /** Values an operand contributes: the element minus its zero point (0 for float convolutions). */
    interface Operand {
        double at(int flat, int channel);
    }

    static Operand plain(Tensor t) {
        return (i, c) -> t.getDouble(i);
    }

    /** A quantized operand: zero point per tensor (one value) or per channel. */
    static Operand shifted(Tensor t, java.util.Optional<Tensor> zeroPoint) {
        if (zeroPoint.isEmpty()) return plain(t);
        Tensor zp = zeroPoint.get();
        return zp.size() == 1 ? (i, c) -> t.getDouble(i) - zp.getDouble(0) : (i, c) -> t.getDouble(i) - zp.getDouble(c);
    }

    static ConvGeometry geometry(Window w, long[] xShape, long[] wShape) {
        int r = xShape.length - 2;
        long[] kernel = new long[r], in = new long[r];
        for (int i = 0; i < r; i++) {
            kernel[i] = wShape[i + 2];
            in[i] = xShape[i + 2];
        }
        return ConvGeometry.forward(w, kernel, in, false);
    }

    /**
     * y[n, m, o] = bias[m] + sum over c in m's group and kernel offsets k of
     * x[n, g*C/G + c, o*stride + k*dilation - padBegin] * w[m, c, k], out-of-range reads being 0.
     * Returns the sums; the caller rounds or requantizes them.
     */
    static double[] conv(Operand x, long[] xShape, Operand w, long[] wShape, ConvGeometry geo, long group, double[] bias) {
        int r = geo.spatialRank();
        int n = (int) xShape[0], c = (int) xShape[1], m = (int) wShape[0];
        int cg = c / (int) group, mg = m / (int) group;
        int inSpatial = Indexing.product(xShape, 2, xShape.length);
        int outSpatial = Indexing.count(geo.outSize()), kSpatial = Indexing.count(geo.kernel());
        int[] inStrides = Indexing.strides(geo.inSize());
        double[] y = new double[n * m * outSpatial];
        int[] o = new int[r], k = new int[r];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < m; oc++) {
                int g = oc / mg;
                for (int op = 0; op < outSpatial; op++) {
                    Indexing.unravel(op, geo.outSize(), o);
                    double acc = bias.length == 0 ? 0 : bias[oc];
                    for (int kp = 0; kp < kSpatial; kp++) {
                        Indexing.unravel(kp, geo.kernel(), k);
                        int inOff = 0;
                        boolean inside = true;
                        for (int d = 0; d < r && inside; d++) {
                            long pos = o[d] * geo.strides()[d] + k[d] * geo.dilations()[d] - geo.padBegin()[d];
                            inside = pos >= 0 && pos < geo.inSize()[d];
                            inOff += (int) pos * inStrides[d];
                        }
                        if (!inside) continue;
                        for (int ic = 0; ic < cg; ic++) {
                            int channel = g * cg + ic;
                            int xi = (b * c + channel) * inSpatial + inOff;
                            int wi = (oc * cg + ic) * kSpatial + kp;
                            acc += x.at(xi, channel) * w.at(wi, oc);
                        }
                    }
                    y[(b * m + oc) * outSpatial + op] = acc;
                }
            }
        }
        return y;
    }

    /**
     * The adjoint of {@link #conv}: every input element scatters x[n, ci, i] * w[ci, m, k] into
     * y[n, g*M/G + m, i*stride + k*dilation - padBegin] when that lies inside the output.
     */
    static double[] convTranspose(Tensor x, Tensor w, ConvGeometry geo, long group, double[] bias, long[] yShape) {
        int r = geo.spatialRank();
        long[] xs = x.shape(), ws = w.shape();
        int n = (int) xs[0], c = (int) xs[1], mg = (int) ws[1], m = mg * (int) group, cg = c / (int) group;
        int inSpatial = Indexing.count(geo.inSize()), outSpatial = Indexing.count(geo.outSize()), kSpatial = Indexing.count(geo.kernel());
        int[] outStrides = Indexing.strides(geo.outSize());
        double[] y = new double[n * m * outSpatial];
        for (int b = 0; b < n; b++) for (int oc = 0; oc < m; oc++) for (int p = 0; p < outSpatial; p++) {
            y[(b * m + oc) * outSpatial + p] = bias.length == 0 ? 0 : bias[oc];
        }
        int[] i = new int[r], k = new int[r];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < c; ci++) {
                int g = ci / cg;
                for (int ip = 0; ip < inSpatial; ip++) {
                    Indexing.unravel(ip, geo.inSize(), i);
                    double xv = x.getDouble((b * c + ci) * inSpatial + ip);
                    for (int kp = 0; kp < kSpatial; kp++) {
                        Indexing.unravel(kp, geo.kernel(), k);
                        int outOff = 0;
                        boolean inside = true;
                        for (int d = 0; d < r && inside; d++) {
                            long pos = (long) i[d] * geo.strides()[d] + k[d] * geo.dilations()[d] - geo.padBegin()[d];
                            inside = pos >= 0 && pos < geo.outSize()[d];
                            outOff += (int) pos * outStrides[d];
                        }
                        if (!inside) continue;
                        for (int om = 0; om < mg; om++) {
                            int oc = g * mg + om;
                            y[(b * m + oc) * outSpatial + outOff] += xv * w.getDouble((ci * mg + om) * kSpatial + kp);
                        }
                    }
                }
            }
        }
        return y;
    }

    static double[] bias(List<java.util.Optional<Tensor>> in, int index) {
        return index < in.size() && in.get(index).isPresent() ? in.get(index).get().toDoubleArray() : new double[0];
    }
}
