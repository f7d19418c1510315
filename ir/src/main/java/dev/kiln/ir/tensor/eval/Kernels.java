package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ConvGeometry;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.QuantizedOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Computes one node from its input values. The output types were already worked out (with the
 * same typing rules shape inference uses), so kernels take output shapes from them rather than
 * recomputing sizes.
 */
public final class Kernels {
    private Kernels() {}

    static long[] sizes(TensorType t) {
        return t.shape().sizes().orElseThrow(() -> new IllegalStateException("unresolved shape " + t));
    }

    public static List<Tensor> evaluate(TensorNode node, List<Optional<Tensor>> in, List<TensorType> outs) {
        return switch (node.op()) {
            case ElementwiseOp op -> List.of(ElementwiseKernels.evaluate(op, in, outs.getFirst()));
            case NeuralOp op -> neural(op, in, outs);
            case LayoutOp op -> layout(op, node, in, outs);
            case ReductionOp op -> reduction(op, in, outs);
            case QuantizedOp op -> quantized(op, in, outs);
            case FusedOp op -> FusedKernels.evaluate(op, in);
            case dev.kiln.ir.tensor.TextOp.WordPieceEncode w -> TextKernels.encode(w, req(in, 0), (int) sizes(outs.getFirst())[1]);
            case dev.kiln.ir.tensor.TextOp.CtcDecode c -> List.of(TextKernels.ctc(c, req(in, 0)));
            case dev.kiln.ir.tensor.MlOp.TreeEnsemble e -> TreeKernels.evaluate(e, req(in, 0));
        };
    }

    private static Tensor req(List<Optional<Tensor>> in, int i) {
        return in.get(i).orElseThrow();
    }

    private static Optional<Tensor> opt(List<Optional<Tensor>> in, int i) {
        return i < in.size() ? in.get(i) : Optional.empty();
    }

    private static Tensor fromSums(double[] sums, ElementType type, long[] shape) {
        Tensor.Builder y = Tensor.builder(type, shape);
        for (int i = 0; i < sums.length; i++) {
            if (type.isInteger()) y.setLong(i, type.wrap((long) sums[i]));
            else y.setDouble(i, sums[i]);
        }
        return y.build();
    }

    private static List<Tensor> neural(NeuralOp op, List<Optional<Tensor>> in, List<TensorType> outs) {
        long[] ys = sizes(outs.getFirst());
        Tensor x = req(in, 0);
        return switch (op) {
            case NeuralOp.Conv c -> {
                Tensor w = req(in, 1);
                ConvGeometry g = ConvKernels.geometry(c.window(), x.shape(), w.shape());
                yield List.of(fromSums(ConvKernels.conv(ConvKernels.plain(x), x.shape(), ConvKernels.plain(w), w.shape(), g, c.group(),
                        ConvKernels.bias(in, 2)), x.type(), ys));
            }
            case NeuralOp.ConvTranspose c -> {
                Tensor w = req(in, 1);
                long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank()), spatial = Arrays.copyOfRange(x.shape(), 2, x.rank());
                ConvGeometry g = ConvGeometry.transposed(c.window(), kernel, spatial, c.outputPadding(), c.outputShape());
                yield List.of(fromSums(ConvKernels.convTranspose(x, w, g, c.group(), ConvKernels.bias(in, 2), ys), x.type(), ys));
            }
            case NeuralOp.Gemm g -> List.of(MatMulKernels.gemm(g, x, req(in, 1), opt(in, 2), ys));
            case NeuralOp.MatMul m -> {
                Tensor b = req(in, 1);
                yield List.of(fromSums(MatMulKernels.matmul(ConvKernels.plain(x), x.shape(), ConvKernels.plain(b), b.shape()), x.type(), ys));
            }
            case NeuralOp.BatchNormalization b -> List.of(NormKernels.batchNorm(x, req(in, 1), req(in, 2), req(in, 3), req(in, 4), b.epsilon()));
            case NeuralOp.Softmax s -> List.of(NormKernels.softmax(x, TensorShape.normalizeAxis(s.axis(), x.rank()), false));
            case NeuralOp.LogSoftmax s -> List.of(NormKernels.softmax(x, TensorShape.normalizeAxis(s.axis(), x.rank()), true));
            case NeuralOp.LayerNormalization l -> Arrays.asList(NormKernels.layerNorm(x, req(in, 1), opt(in, 2),
                    TensorShape.normalizeAxis(l.axis(), x.rank()), l.epsilon())).subList(0, outs.size());
            case NeuralOp.MaxPool p -> outs.size() > 1 ? PoolKernels.maxWithIndices(x, p.window(), p.ceilMode(), p.columnMajor())
                    : List.of(PoolKernels.pool(x, p.window(), p.ceilMode(), true, false));
            case NeuralOp.AveragePool p -> List.of(PoolKernels.pool(x, p.window(), p.ceilMode(), false, p.countIncludePad()));
            case NeuralOp.GlobalAveragePool g -> List.of(PoolKernels.global(x, false));
            case NeuralOp.GlobalMaxPool g -> List.of(PoolKernels.global(x, true));
        };
    }

    private static List<Tensor> layout(LayoutOp op, TensorNode node, List<Optional<Tensor>> in, List<TensorType> outs) {
        long[] ys = sizes(outs.getFirst());
        return switch (op) {
            case LayoutOp.Constant c -> List.of(c.value());
            case LayoutOp.Concat c -> {
                List<Tensor> xs = in.stream().map(Optional::orElseThrow).toList();
                yield List.of(LayoutKernels.concat(xs, TensorShape.normalizeAxis(c.axis(), ys.length), ys));
            }
            case LayoutOp.Reshape r -> List.of(req(in, 0).reshape(ys));
            case LayoutOp.Flatten f -> List.of(req(in, 0).reshape(ys));
            case LayoutOp.Squeeze s -> List.of(req(in, 0).reshape(ys));
            case LayoutOp.Unsqueeze u -> List.of(req(in, 0).reshape(ys));
            case LayoutOp.Transpose t -> {
                Tensor x = req(in, 0);
                int[] perm = new int[x.rank()];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = t.perm().isEmpty() ? perm.length - 1 - i : TensorShape.normalizeAxis(t.perm().get(i), perm.length);
                }
                yield List.of(LayoutKernels.transpose(x, perm));
            }
            case LayoutOp.Gather g -> {
                Tensor x = req(in, 0);
                yield List.of(LayoutKernels.gather(x, req(in, 1), TensorShape.normalizeAxis(g.axis(), x.rank()), ys));
            }
            case LayoutOp.Slice s -> {
                long[] starts = req(in, 1).toLongArray();
                long[] axes = opt(in, 3).map(Tensor::toLongArray).orElseGet(() -> iota(starts.length));
                long[] steps = opt(in, 4).map(Tensor::toLongArray).orElse(new long[0]);
                yield List.of(LayoutKernels.slice(req(in, 0), starts, req(in, 2).toLongArray(), axes, steps, ys));
            }
            case LayoutOp.Pad p -> {
                Tensor x = req(in, 0);
                long[] axes = opt(in, 3).map(Tensor::toLongArray).orElseGet(() -> iota(x.rank()));
                yield List.of(LayoutKernels.pad(x, p.mode(), req(in, 1).toLongArray(), axes, opt(in, 2), ys));
            }
            case LayoutOp.Resize r -> {
                Tensor x = req(in, 0);
                double[] scales = new double[x.rank()];
                Arrays.fill(scales, 1);
                long[] axes = r.axes().isEmpty() ? iota(x.rank()) : r.axes().stream().mapToLong(a -> TensorShape.normalizeAxis(a, x.rank())).toArray();
                Optional<Tensor> given = opt(in, 2).filter(t -> t.size() > 0);
                double[][] roi = new double[x.rank()][];
                Arrays.fill(roi, new double[] {0, 1});
                Optional<Tensor> region = opt(in, 1).filter(t -> t.size() > 0 && r.coordinateTransform() == LayoutOp.CoordinateTransform.TF_CROP_AND_RESIZE);
                if (region.isPresent() && region.get().size() != 2L * axes.length) {
                    throw new IllegalArgumentException("roi has " + region.get().size() + " values where 2 x " + axes.length + " resized axes are needed");
                }
                for (int i = 0; i < axes.length; i++) {
                    int ax = (int) axes[i];
                    scales[ax] = given.isPresent() ? given.get().getDouble(i) : (double) ys[ax] / x.dim(ax);
                    if (region.isPresent()) roi[ax] = new double[] {region.get().getDouble(i), region.get().getDouble(axes.length + i)};
                }
                yield List.of(ResizeKernel.resize(x, r, scales, roi, ys));
            }
            case LayoutOp.Shape s -> {
                long[] shape = req(in, 0).shape();
                int start = (int) Math.clamp(s.start() < 0 ? s.start() + shape.length : s.start(), 0, shape.length);
                yield List.of(Tensor.vector(Arrays.copyOfRange(shape, start, start + (int) ys[0])));
            }
            case LayoutOp.ConstantOfShape c -> List.of(LayoutKernels.constantOfShape(c.value(), ys));
            case LayoutOp.Range r -> List.of(LayoutKernels.range(req(in, 0), req(in, 2), ys));
            case LayoutOp.Expand e -> List.of(LayoutKernels.expand(req(in, 0), ys));
            case LayoutOp.Split s -> {
                Tensor x = req(in, 0);
                List<long[]> shapes = new ArrayList<>();
                for (TensorType t : outs) shapes.add(sizes(t));
                yield List.of(LayoutKernels.split(x, TensorShape.normalizeAxis(s.axis(), x.rank()), shapes));
            }
        };
    }

    private static long[] iota(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static List<Tensor> reduction(ReductionOp op, List<Optional<Tensor>> in, List<TensorType> outs) {
        Tensor x = req(in, 0);
        long[] ys = sizes(outs.getFirst());
        return switch (op) {
            case ReductionOp.Reduce r -> {
                long[] axes = opt(in, 1).map(Tensor::toLongArray).orElse(new long[0]);
                if (axes.length == 0 && r.noopWithEmptyAxes()) yield List.of(x);
                boolean[] reduced = new boolean[x.rank()];
                if (axes.length == 0) Arrays.fill(reduced, true);
                for (long a : axes) reduced[TensorShape.normalizeAxis(a, x.rank())] = true;
                yield List.of(ReductionKernels.reduce(r.fn(), x, reduced, ys));
            }
            case ReductionOp.ArgMax a -> List.of(ReductionKernels.argMax(x, TensorShape.normalizeAxis(a.axis(), x.rank()), a.selectLastIndex(), ys));
            case ReductionOp.TopK k -> {
                int axis = TensorShape.normalizeAxis(k.axis(), x.rank());
                yield Arrays.asList(ReductionKernels.topK(x, axis, (int) ys[axis], k.largest(), ys));
            }
        };
    }

    /** The axis only matters (and is only checked) when the scale is per axis or per block. */
    private static int quantAxis(long axis, long blockSize, Tensor x, Tensor scale) {
        return scale.size() == 1 && blockSize == 0 ? 0 : TensorShape.normalizeAxis(axis, x.rank());
    }

    private static List<Tensor> quantized(QuantizedOp op, List<Optional<Tensor>> in, List<TensorType> outs) {
        Tensor x = req(in, 0);
        long[] ys = sizes(outs.getFirst());
        return switch (op) {
            case QuantizedOp.DequantizeLinear d -> List.of(QuantKernels.dequantize(x, req(in, 1), opt(in, 2),
                    quantAxis(d.axis(), d.blockSize(), x, req(in, 1)), d.blockSize(), outs.getFirst().element()));
            case QuantizedOp.QuantizeLinear q -> List.of(QuantKernels.quantize(x, req(in, 1), opt(in, 2),
                    quantAxis(q.axis(), q.blockSize(), x, req(in, 1)), q.blockSize(), outs.getFirst().element()));
            case QuantizedOp.DynamicQuantizeLinear d -> Arrays.asList(QuantKernels.dynamicQuantize(x));
            case QuantizedOp.MatMulInteger m -> {
                Tensor b = req(in, 1);
                double[] sums = MatMulKernels.matmul(ConvKernels.shifted(x, opt(in, 2)), x.shape(), ConvKernels.shifted(b, opt(in, 3)), b.shape());
                yield List.of(fromSums(sums, ElementType.INT32, ys));
            }
            case QuantizedOp.ConvInteger c -> {
                Tensor w = req(in, 1);
                ConvGeometry g = ConvKernels.geometry(c.window(), x.shape(), w.shape());
                double[] sums = ConvKernels.conv(ConvKernels.shifted(x, opt(in, 2)), x.shape(), ConvKernels.shifted(w, opt(in, 3)), w.shape(), g, c.group(), new double[0]);
                yield List.of(fromSums(sums, ElementType.INT32, ys));
            }
            case QuantizedOp.QLinearConv c -> {
                Tensor w = req(in, 3), wScale = req(in, 4);
                ConvGeometry g = ConvKernels.geometry(c.window(), x.shape(), w.shape());
                double[] sums = ConvKernels.conv(ConvKernels.shifted(x, opt(in, 2)), x.shape(), ConvKernels.shifted(w, opt(in, 5)), w.shape(), g, c.group(), ConvKernels.bias(in, 8));
                double[] mul = new double[wScale.size()];
                for (int i = 0; i < mul.length; i++) mul[i] = req(in, 1).getDouble(0) * wScale.getDouble(i) / req(in, 6).getDouble(0);
                yield List.of(QuantKernels.requantize(sums, mul, Indexing.product(ys, 2, ys.length), (int) ys[1], req(in, 7), ys));
            }
            case QuantizedOp.QLinearMatMul m -> {
                Tensor b = req(in, 3);
                double[] sums = MatMulKernels.matmul(ConvKernels.shifted(x, opt(in, 2)), x.shape(), ConvKernels.shifted(b, opt(in, 5)), b.shape());
                double mul = req(in, 1).getDouble(0) * req(in, 4).getDouble(0) / req(in, 6).getDouble(0);
                yield List.of(QuantKernels.requantize(sums, new double[] {mul}, 1, 1, req(in, 7), ys));
            }
        };
    }
}
