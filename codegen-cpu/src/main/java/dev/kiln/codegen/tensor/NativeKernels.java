package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.runtime.tensor.ResizeNormalize;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

/**
 * Runtime kernels for fused nodes whose shapes change from call to call, so that no program can be
 * compiled for them (image preprocessing: every image has its own size). A graph holding such
 * nodes runs on the interpreter with these kernels in place of the fused nodes' expansions.
 */
public final class NativeKernels implements TensorInterpreter.NodeKernels {
    public static final NativeKernels INSTANCE = new NativeKernels();

    private NativeKernels() {}

    /** Whether some node of the graph is one these kernels run. */
    public static boolean takesAny(dev.kiln.ir.tensor.TensorGraph g) {
        return g.nodes().stream().anyMatch(n -> n.op() instanceof FusedOp.ResizeNormalize);
    }

    @Override
    public Optional<List<Tensor>> evaluate(TensorNode node, List<Optional<Tensor>> in, List<TensorType> outTypes) {
        if (!(node.op() instanceof FusedOp.ResizeNormalize rn)) return Optional.empty();
        return resizeNormalize(rn, in).map(List::of);
    }

    /** The fused preprocessing in a compiled program (shapes fixed): float32 images in, the kernel over heap copies. */
    static TensorStep compiled(CompileContext cx, TensorNode n, FusedOp.ResizeNormalize rn) {
        String x = n.input(0).get();
        if (cx.element(x) != ElementType.FLOAT32) throw new TensorCompileException(n.describe() + ": a compiled image resize takes float32 pixels, not " + cx.element(x));
        long[] xs = cx.shape(x), ys = cx.shape(n.outputs().getFirst());
        long[] sizes = rn.channelsFirst() ? new long[] {ys[0], ys[2], ys[3], ys[1]} : ys;
        List<Optional<Tensor>> in = new java.util.ArrayList<>(List.of(Optional.empty(), Optional.of(Tensor.vector(sizes))));
        for (int i = 2; i < n.inputs().size(); i++) {
            Optional<Tensor> k = n.input(i).flatMap(cx::constant);
            if (k.isEmpty()) throw new TensorCompileException(n.describe() + ": per-channel operand " + (i - 2) + " must be constant");
            in.add(k);
        }
        int count = (int) ElementwiseCodegen.count(xs);
        List<Optional<Tensor>> probe = new java.util.ArrayList<>(in);
        probe.set(0, Optional.of(Tensor.zeros(ElementType.FLOAT32, xs)));
        if (resizeNormalize(rn, probe).isEmpty()) throw new TensorCompileException(n.describe() + ": the fused image kernel does not take these shapes or operands");
        MemorySegment xSeg = cx.segment(x), ySeg = cx.segment(n.outputs().getFirst());
        return t -> {
            float[] pixels = new float[count];
            MemorySegment.copy(xSeg, ValueLayout.JAVA_FLOAT, 0, pixels, 0, count);
            List<Optional<Tensor>> args = new java.util.ArrayList<>(in);
            args.set(0, Optional.of(Tensor.floats(xs, pixels)));
            Tensor y = resizeNormalize(rn, args).orElseThrow();
            y.write(0, y.size(), ySeg, 0);
        };
    }

    /** The fused preprocessing, or empty where the node asks for something the kernel does not do (its expansion runs then). */
    static Optional<Tensor> resizeNormalize(FusedOp.ResizeNormalize rn, List<Optional<Tensor>> in) {
        Tensor x = in.get(0).orElseThrow(), sizes = in.get(1).orElseThrow();
        if (x.rank() != 4 || x.type() == ElementType.STRING || x.type() == ElementType.UINT64 || sizes.size() != 4) return Optional.empty();
        long n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
        long oh = sizes.getLong(1), ow = sizes.getLong(2);
        // only the two image axes are resized; an empty image or an output beyond a heap array is the reference's to report
        if (sizes.getLong(0) != n || sizes.getLong(3) != c || oh <= 0 || ow <= 0 || h == 0 || w == 0 || n * oh * ow * c > Integer.MAX_VALUE - 8) {
            return Optional.empty();
        }
        if (!rn.resize().axes().isEmpty() && !rn.resize().axes().equals(List.of(1L, 2L)) && !rn.resize().axes().equals(List.of(-3L, -2L))) return Optional.empty();
        if (!rn.channelOrder().isEmpty() && rn.channelOrder().size() != c) return Optional.empty();
        int[] order = new int[(int) c];
        for (int k = 0; k < c; k++) {
            long o = rn.channelOrder().isEmpty() ? k : rn.channelOrder().get(k);
            if (o < 0) o += c;
            if (o < 0 || o >= c) return Optional.empty();
            order[k] = (int) o;
        }
        double[] a = new double[(int) c], b = new double[(int) c];
        java.util.Arrays.fill(a, 1);
        for (int i = 0; i < rn.steps().size(); i++) {
            Tensor k = in.get(2 + i).orElseThrow();
            if (k.size() != 1 && k.size() != c || k.type() != ElementType.FLOAT32) return Optional.empty();
            for (int ch = 0; ch < c; ch++) {
                double v = k.getDouble(k.size() == 1 ? 0 : ch);
                FusedOp.ChannelStep st = rn.steps().get(i);
                switch (st.fn()) {
                    case ADD -> b[ch] += v;
                    case SUB -> {
                        if (st.valueFirst()) {
                            b[ch] -= v;
                        } else {
                            a[ch] = -a[ch];
                            b[ch] = v - b[ch];
                        }
                    }
                    case MUL -> {
                        a[ch] *= v;
                        b[ch] *= v;
                    }
                    case DIV -> {
                        if (!st.valueFirst()) return Optional.empty();
                        a[ch] /= v;
                        b[ch] /= v;
                    }
                    default -> throw new IllegalStateException("per-channel step " + st.fn());
                }
            }
        }
        float[] src = new float[x.size()];
        x.copyFloats(0, x.size(), src, 0);
        float[] dst = new float[(int) (n * oh * ow * c)];
        ResizeNormalize.run(rn.resize(), src, (int) n, (int) h, (int) w, (int) c, (int) oh, (int) ow, order, a, b, rn.channelsFirst(), dst);
        long[] shape = rn.channelsFirst() ? new long[] {n, c, oh, ow} : new long[] {n, oh, ow, c};
        return Optional.of(Tensor.of(ElementType.FLOAT32, shape, dst));
    }
}
