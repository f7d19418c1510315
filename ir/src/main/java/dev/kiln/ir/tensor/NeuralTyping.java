package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.List;

/** Output types of {@link NeuralOp}s, and the conv and matmul shape rules the quantized ops share. */
final class NeuralTyping {
    private NeuralTyping() {}

    static List<TensorType> infer(NeuralOp op, NodeTyping t) {
        return switch (op) {
            case NeuralOp.Conv c -> {
                t.arity(2, 3, 1, 1);
                t.requireFloat(0);
                t.requireSameElement(0, 1);
                TensorShape y = convShape(t, 0, 1, c.window(), c.group());
                if (t.has(2)) requireVector(t, 2, y.dim(1), "bias");
                yield List.of(new TensorType(t.element(0), y));
            }
            case NeuralOp.ConvTranspose c -> {
                t.arity(2, 3, 1, 1);
                t.requireFloat(0);
                t.requireSameElement(0, 1);
                TensorShape y = convTransposeShape(t, c);
                if (t.has(2)) requireVector(t, 2, y.dim(1), "bias");
                yield List.of(new TensorType(t.element(0), y));
            }
            case NeuralOp.Gemm g -> {
                t.arity(2, 3, 1, 1);
                t.requireNumeric(0);
                t.requireSameElement(0, 1);
                t.requireRank(0, 2);
                t.requireRank(1, 2);
                TensorShape a = t.shape(0), b = t.shape(1);
                Dim m = a.dim(g.transA() ? 1 : 0), ka = a.dim(g.transA() ? 0 : 1);
                Dim kb = b.dim(g.transB() ? 1 : 0), n = b.dim(g.transB() ? 0 : 1);
                requireSameDim(t, ka, kb, "inner dimensions of A " + a + (g.transA() ? " (transposed)" : "")
                        + " and B " + b + (g.transB() ? " (transposed)" : ""));
                TensorShape y = TensorShape.of(m, n);
                if (t.has(2) && !TensorShape.broadcastsTo(t.shape(2), y)) {
                    throw t.fail("C " + t.shape(2) + " does not broadcast to the result " + y);
                }
                yield List.of(new TensorType(t.element(0), y));
            }
            case NeuralOp.MatMul m -> {
                t.arity(2, 2, 1, 1);
                t.requireNumeric(0);
                t.requireSameElement(0, 1);
                yield List.of(new TensorType(t.element(0), matMulShape(t, t.shape(0), t.shape(1))));
            }
            case NeuralOp.BatchNormalization b -> {
                t.arity(5, 5, 1, 1);
                t.requireFloat(0);
                TensorShape x = t.shape(0);
                if (x.rank() < 2) throw t.fail("X must have a channel axis, not shape " + x);
                String[] names = {"", "scale", "B", "input_mean", "input_var"};
                for (int i = 1; i < 5; i++) requireVector(t, i, x.dim(1), names[i]);
                yield List.of(t.type(0));
            }
            case NeuralOp.Softmax s -> softmax(t, s.axis());
            case NeuralOp.LogSoftmax s -> softmax(t, s.axis());
            case NeuralOp.LayerNormalization l -> {
                t.arity(2, 3, 1, 3);
                t.requireFloat(0);
                TensorShape x = t.shape(0);
                int axis = t.axis("axis", l.axis(), x.rank());
                TensorShape normalized = new TensorShape(x.dims().subList(axis, x.rank()));
                for (int i = 1; i < 3; i++) {
                    if (t.has(i) && !TensorShape.broadcastsTo(t.shape(i), normalized)) {
                        throw t.fail((i == 1 ? "Scale " : "B ") + t.shape(i) + " does not broadcast to the normalized shape " + normalized);
                    }
                }
                List<Dim> stat = new ArrayList<>(x.dims().subList(0, axis));
                for (int i = axis; i < x.rank(); i++) stat.add(Dim.of(1));
                TensorType statType = new TensorType(ElementType.FLOAT32, new TensorShape(stat));
                List<TensorType> outs = new ArrayList<>(List.of(t.type(0)));
                for (int i = 1; i < t.node().outputs().size(); i++) outs.add(statType);
                yield outs;
            }
            case NeuralOp.MaxPool p -> {
                List<TensorType> y = pool(t, p.window(), p.ceilMode(), 2);
                yield t.node().outputs().size() < 2 ? y : List.of(y.getFirst(), new TensorType(ElementType.INT64, y.getFirst().shape()));
            }
            case NeuralOp.AveragePool p -> {
                t.requireFloat(0);
                yield pool(t, p.window(), p.ceilMode(), 1);
            }
            case NeuralOp.GlobalAveragePool g -> globalPool(t);
            case NeuralOp.GlobalMaxPool g -> globalPool(t);
        };
    }

    private static List<TensorType> softmax(NodeTyping t, long axis) {
        t.arity(1, 1, 1, 1);
        t.requireFloat(0);
        t.axis("axis", axis, t.shape(0).rank());
        return List.of(t.type(0));
    }

    private static List<TensorType> pool(NodeTyping t, Window w, boolean ceilMode, int maxOutputs) {
        t.arity(1, 1, 1, maxOutputs);
        t.requireNumeric(0);
        TensorShape x = t.shape(0);
        int r = x.rank() - 2;
        if (r < 1) throw t.fail("X must be [N, C, spatial...], not " + x);
        if (w.kernelShape().size() != r) throw t.fail("kernel_shape " + w.kernelShape() + " must have " + r + " values for input " + x);
        long[] kernel = w.kernelShape().stream().mapToLong(Long::longValue).toArray();
        return List.of(new TensorType(t.element(0), spatialOut(t, x, x.dim(1), w, kernel, ceilMode)));
    }

    private static List<TensorType> globalPool(NodeTyping t) {
        t.arity(1, 1, 1, 1);
        t.requireFloat(0);
        TensorShape x = t.shape(0);
        if (x.rank() < 3) throw t.fail("X must be [N, C, spatial...], not " + x);
        List<Dim> out = new ArrayList<>(x.dims().subList(0, 2));
        for (int i = 2; i < x.rank(); i++) out.add(Dim.of(1));
        return List.of(new TensorType(t.element(0), new TensorShape(out)));
    }

    /** [N, M, out...] of a convolution of input {@code xi} by weight {@code wi} (Conv, ConvInteger, QLinearConv). */
    static TensorShape convShape(NodeTyping t, int xi, int wi, Window w, long group) {
        TensorShape x = t.shape(xi), wt = t.shape(wi);
        int r = x.rank() - 2;
        if (r < 1) throw t.fail("X must be [N, C, spatial...], not " + x);
        if (wt.rank() != x.rank()) throw t.fail("weight " + wt + " must have the rank of the input " + x);
        long c = NodeTyping.fixed(x.dim(1)), wc = NodeTyping.fixed(wt.dim(1)), m = NodeTyping.fixed(wt.dim(0));
        if (c >= 0 && wc >= 0 && c != group * wc) {
            throw t.fail("input has " + c + " channels, group " + group + " × weight channels " + wc + " = " + group * wc);
        }
        if (m >= 0 && m % group != 0) throw t.fail(m + " output channels do not divide into " + group + " groups");
        return spatialOut(t, x, wt.dim(0), w, kernel(t, w, wt), false);
    }

    private static TensorShape convTransposeShape(NodeTyping t, NeuralOp.ConvTranspose c) {
        TensorShape x = t.shape(0), wt = t.shape(1);
        int r = x.rank() - 2;
        if (r < 1) throw t.fail("X must be [N, C, spatial...], not " + x);
        if (wt.rank() != x.rank()) throw t.fail("weight " + wt + " must have the rank of the input " + x);
        long ch = NodeTyping.fixed(x.dim(1)), wc = NodeTyping.fixed(wt.dim(0));
        if (ch >= 0 && wc >= 0 && ch != wc) throw t.fail("input has " + ch + " channels but the weight " + wt + " expects " + wc);
        if (ch >= 0 && ch % c.group() != 0) throw t.fail(ch + " input channels do not divide into " + c.group() + " groups");
        long[] kernel = kernel(t, c.window(), wt);
        long[] in = spatialSizes(x);
        ConvGeometry g;
        try {
            g = ConvGeometry.transposed(c.window(), kernel, in, c.outputPadding(), c.outputShape());
        } catch (IllegalArgumentException e) {
            throw t.fail(e.getMessage() + " (input " + x + ", weight " + wt + ")");
        }
        long m = NodeTyping.fixed(wt.dim(1));
        List<Dim> out = new ArrayList<>(List.of(x.dim(0), m >= 0 ? Dim.of(m * c.group()) : t.fresh(0, 1)));
        for (int i = 0; i < r; i++) out.add(g.outSize()[i] >= 0 ? Dim.of(g.outSize()[i]) : t.fresh(0, i + 2));
        return new TensorShape(out);
    }

    private static long[] kernel(NodeTyping t, Window w, TensorShape wt) {
        int r = wt.rank() - 2;
        long[] k = new long[r];
        for (int i = 0; i < r; i++) {
            long fromWeight = NodeTyping.fixed(wt.dim(i + 2));
            if (!w.kernelShape().isEmpty()) {
                if (w.kernelShape().size() != r) throw t.fail("kernel_shape " + w.kernelShape() + " must have " + r + " values");
                k[i] = w.kernelShape().get(i);
                if (fromWeight >= 0 && fromWeight != k[i]) throw t.fail("kernel_shape " + w.kernelShape() + " disagrees with the weight " + wt);
            } else if (fromWeight < 0) {
                throw t.fail("the kernel size is unknown: weight " + wt + " has symbolic spatial dims and there is no kernel_shape");
            } else {
                k[i] = fromWeight;
            }
        }
        return k;
    }

    private static long[] spatialSizes(TensorShape x) {
        long[] in = new long[x.rank() - 2];
        for (int i = 0; i < in.length; i++) in[i] = NodeTyping.fixed(x.dim(i + 2));
        return in;
    }

    private static TensorShape spatialOut(NodeTyping t, TensorShape x, Dim channels, Window w, long[] kernel, boolean ceilMode) {
        ConvGeometry g;
        try {
            g = ConvGeometry.forward(w, kernel, spatialSizes(x), ceilMode);
        } catch (IllegalArgumentException e) {
            throw t.fail(e.getMessage() + " (input " + x + ")");
        }
        List<Dim> out = new ArrayList<>(List.of(x.dim(0), channels));
        for (int i = 0; i < kernel.length; i++) out.add(g.outSize()[i] >= 0 ? Dim.of(g.outSize()[i]) : t.fresh(0, i + 2));
        return new TensorShape(out);
    }

    /** numpy matmul shape: 1-D operands promoted then the added axis dropped; batch axes broadcast. */
    static TensorShape matMulShape(NodeTyping t, TensorShape a, TensorShape b) {
        if (a.rank() == 0 || b.rank() == 0) throw t.fail("MatMul operands must have rank 1 or more, not " + a + " and " + b);
        TensorShape a2 = a.rank() == 1 ? TensorShape.of(Dim.of(1), a.dim(0)) : a;
        TensorShape b2 = b.rank() == 1 ? TensorShape.of(b.dim(0), Dim.of(1)) : b;
        requireSameDim(t, a2.dim(a2.rank() - 1), b2.dim(b2.rank() - 2), "inner dimensions of " + a + " and " + b);
        TensorShape batch = t.broadcast(new TensorShape(a2.dims().subList(0, a2.rank() - 2)),
                new TensorShape(b2.dims().subList(0, b2.rank() - 2)));
        List<Dim> out = new ArrayList<>(batch.dims());
        if (a.rank() > 1) out.add(a2.dim(a2.rank() - 2));
        if (b.rank() > 1) out.add(b2.dim(b2.rank() - 1));
        return new TensorShape(out);
    }

    static void requireSameDim(NodeTyping t, Dim a, Dim b, String what) {
        // Only two known sizes can be told apart here; differently named symbols may still agree at run time.
        if (a instanceof Dim.Fixed && b instanceof Dim.Fixed && !a.equals(b)) {
            throw t.fail(what + " differ: " + a + " against " + b);
        }
    }

    /** A 1-D input whose one dimension must be {@code size}. */
    static void requireVector(NodeTyping t, int i, Dim size, String name) {
        TensorShape s = t.shape(i);
        if (s.rank() != 1) throw t.fail(name + " must be 1-D of size " + size + ", not " + s);
        requireSameDim(t, s.dim(0), size, name + " size and channel count");
    }
}
