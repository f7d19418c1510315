package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.ConvGeometry;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.Window;
import dev.kiln.runtime.tensor.Conv2d;
import dev.kiln.runtime.tensor.ConvGeometry2d;
import dev.kiln.runtime.tensor.Gemm;
import dev.kiln.runtime.tensor.GemmEpilogue;
import dev.kiln.runtime.tensor.PackedB;
import dev.kiln.runtime.tensor.Pool2d;
import dev.kiln.runtime.tensor.TensorThreads;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;

/** Steps for convolutions, GEMMs, matrix products and pools: weights packed now, kernels from the runtime. */
final class NeuralSteps {
    private NeuralSteps() {}

    static GemmEpilogue epilogue(CompileContext cx, TensorNode node, Activation act) {
        GemmEpilogue e = dev.kiln.runtime.tensor.ActivationEpilogue.of(act);
        if (e != null) cx.explain.append("// ").append(node.describe()).append(": epilogue ").append(act).append(" on each finished tile (ActivationEpilogue, Vector API)\n");
        return e;
    }

    static ConvGeometry2d geometry(Window w, long[] x, long[] kernel, long cg, boolean ceil) {
        if (x.length != 4) throw new TensorCompileException("only 2-D convolutions and pools are compiled, not input rank " + x.length);
        ConvGeometry g = ConvGeometry.forward(w, kernel, new long[] {x[2], x[3]}, ceil);
        return new ConvGeometry2d((int) cg, (int) x[2], (int) x[3], (int) kernel[0], (int) kernel[1], (int) g.strides()[0], (int) g.strides()[1],
                (int) g.dilations()[0], (int) g.dilations()[1], (int) g.padBegin()[0], (int) g.padBegin()[1], (int) g.padEnd()[0],
                (int) g.padEnd()[1], (int) g.outSize()[0], (int) g.outSize()[1]);
    }

    static TensorStep conv(CompileContext cx, TensorNode node, NeuralOp.Conv c, Activation act) {
        long[] xs = cx.shape(node.input(0).get()), ws = cx.shape(node.input(1).get()), ys = cx.shape(node.outputs().getFirst());
        Tensor w = cx.constant(node.input(1).get()).orElseThrow(() -> new TensorCompileException(node.describe() + ": weights must be constant"));
        float[] bias = node.input(2).map(b -> CompileContext.floats(cx.constant(b).orElseThrow(
                () -> new TensorCompileException(node.describe() + ": bias must be constant")))).orElse(new float[0]);
        if (ws.length != 4) throw new TensorCompileException(node.describe() + ": only 2-D convolutions are compiled");
        ConvGeometry2d g = geometry(c.window(), xs, new long[] {ws[2], ws[3]}, ws[1], false);
        MemorySegment x = cx.segment(node.input(0).get()), wSeg = cx.memory.copyOf(CompileContext.floats(w)), y = cx.segment(node.outputs().getFirst());
        GemmEpilogue epi = epilogue(cx, node, act);
        int n = (int) xs[0], m = (int) ys[1], group = (int) c.group();
        cx.explain.append("// ").append(node.describe()).append(": ").append(g.cg() == 1 && group == m && group > 1 ? "depthwise direct" : g.isPointwise() ? "packed GEMM" : "implicit GEMM")
                .append(" M=").append(m / group).append(" K=").append(g.k()).append(" P=").append(g.p()).append('\n');
        Gemm.Operand[] wOps = g.cg() == 1 && group == m && group > 1 ? new Gemm.Operand[0] : Conv2d.weights(wSeg, m, group, g);
        return t -> Conv2d.forward(t, x, wSeg, wOps, bias, y, n, m, group, g, epi);
    }

    static TensorStep convTranspose(CompileContext cx, TensorNode node, NeuralOp.ConvTranspose c) {
        long[] xs = cx.shape(node.input(0).get()), ws = cx.shape(node.input(1).get()), ys = cx.shape(node.outputs().getFirst());
        if (ws.length != 4) throw new TensorCompileException(node.describe() + ": only 2-D transposed convolutions are compiled");
        Tensor w = cx.constant(node.input(1).get()).orElseThrow(() -> new TensorCompileException(node.describe() + ": weights must be constant"));
        float[] bias = node.input(2).map(b -> CompileContext.floats(cx.constant(b).orElseThrow(
                () -> new TensorCompileException(node.describe() + ": bias must be constant")))).orElse(new float[0]);
        ConvGeometry g = ConvGeometry.transposed(c.window(), new long[] {ws[2], ws[3]}, new long[] {xs[2], xs[3]}, c.outputPadding(), c.outputShape());
        int group = (int) c.group();
        var s = new dev.kiln.runtime.tensor.ConvTranspose2d.Shape((int) xs[1] / group, (int) ws[1], group, (int) xs[2], (int) xs[3], (int) ws[2], (int) ws[3],
                (int) g.strides()[0], (int) g.strides()[1], (int) g.dilations()[0], (int) g.dilations()[1], (int) g.padBegin()[0], (int) g.padBegin()[1],
                (int) ys[2], (int) ys[3]);
        MemorySegment x = cx.segment(node.input(0).get()), wSeg = cx.memory.copyOf(CompileContext.floats(w)), y = cx.segment(node.outputs().getFirst());
        int hw = s.h() * s.w();
        MemorySegment cols = cx.memory.allocateFloats((long) s.mg() * s.kh() * s.kw() * hw);
        float[] pack = new float[PackedB.size(s.cg(), hw)];
        int n = (int) xs[0];
        cx.explain.append("// ").append(node.describe()).append(": GEMM M=").append(s.mg() * s.kh() * s.kw()).append(" K=").append(s.cg())
                .append(" N=").append(hw).append(" + col2im\n");
        return t -> dev.kiln.runtime.tensor.ConvTranspose2d.forward(t, x, wSeg, bias, y, n, s, cols, pack);
    }

    /** A batch normalization left standing (after a transposed convolution): one multiply-add per element. */
    static TensorStep batchNorm(CompileContext cx, TensorNode node, NeuralOp.BatchNormalization bn) {
        long[] xs = cx.shape(node.input(0).get());
        if (xs.length < 2) throw new TensorCompileException(node.describe() + ": the input needs a channel axis");
        Tensor[] p = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            int input = i + 1;
            p[i] = cx.constant(node.input(input).get()).orElseThrow(() -> new TensorCompileException(node.describe() + ": input " + input + " must be constant"));
        }
        int c = (int) xs[1];
        float[] a = new float[c], b = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double scale = p[0].getDouble(ch) / Math.sqrt(p[3].getDouble(ch) + bn.epsilon());
            a[ch] = (float) scale;
            b[ch] = (float) (p[1].getDouble(ch) - p[2].getDouble(ch) * scale);
        }
        int inner = (int) ElementwiseCodegen.count(Arrays.copyOfRange(xs, 2, xs.length));
        MemorySegment x = cx.segment(node.input(0).get()), y = cx.segment(node.outputs().getFirst());
        long planes = xs[0] * c;
        return t -> dev.kiln.runtime.tensor.ChannelAffine.apply(t, x, y, planes, c, inner, a, b);
    }

    /** Gemm with A at run time and B constant (packed now, alpha folded in) or computed (packed per run). */
    static TensorStep gemm(CompileContext cx, TensorNode node, NeuralOp.Gemm op, Activation act) {
        long[] as = cx.shape(node.input(0).get()), ys = cx.shape(node.outputs().getFirst());
        int m = (int) ys[0], n = (int) ys[1], k = (int) (op.transA() ? as[0] : as[1]);
        float[] colBias = new float[0];
        if (node.input(2).isPresent()) {
            Tensor cT = cx.constant(node.input(2).get()).orElseThrow(() -> new TensorCompileException(node.describe() + ": C must be constant"));
            if (cT.size() != 1 && cT.size() != n) throw new TensorCompileException(node.describe() + ": C must be a scalar or one value per column");
            colBias = new float[n];
            for (int j = 0; j < n; j++) colBias[j] = (float) (op.beta() * cT.getDouble(cT.size() == 1 ? 0 : j));
        }
        MemorySegment a = cx.segment(node.input(0).get()), y = cx.segment(node.outputs().getFirst());
        Gemm.Operand aOp = new Gemm.Operand(a, 0, op.transA() ? m : k, op.transA());
        PackedB packed = packConstant(cx, node.input(1).get(), op.transB(), k, n, op.alpha())
                .orElseThrow(() -> new TensorCompileException(node.describe() + ": B must be constant"));
        GemmEpilogue epi = epilogue(cx, node, act);
        float[] cb = colBias;
        cx.explain.append("// ").append(node.describe()).append(": GEMM M=").append(m).append(" K=").append(k).append(" N=").append(n).append(", B packed\n");
        return t -> Gemm.multiply(t, aOp, packed, y, 0, n, m, new float[0], cb, epi);
    }

    static Optional<PackedB> packConstant(CompileContext cx, String value, boolean trans, int k, int n, float alpha) {
        return cx.constant(value).map(b -> {
            float[] f = CompileContext.floats(b);
            if (alpha != 1f) for (int i = 0; i < f.length; i++) f[i] *= alpha;
            MemorySegment s = MemorySegment.ofArray(f);
            return PackedB.pack(s, 0, trans ? k : n, trans, k, n);
        });
    }

    /** numpy MatMul (+ bias over the last axis): one GEMM when B is a constant matrix, else one per batch entry. */
    static TensorStep matmul(CompileContext cx, TensorNode node, Activation act) {
        long[] as = cx.shape(node.input(0).get()), bs = cx.shape(node.input(1).get()), ys = cx.shape(node.outputs().getFirst());
        if (as.length < 2 || bs.length < 2) throw new TensorCompileException(node.describe() + ": 1-D MatMul operands are not compiled");
        int m = (int) as[as.length - 2], k = (int) as[as.length - 1], n = (int) bs[bs.length - 1];
        float[] bias = node.input(2).map(b -> CompileContext.floats(cx.constant(b).orElseThrow())).orElse(new float[0]);
        MemorySegment a = cx.segment(node.input(0).get()), y = cx.segment(node.outputs().getFirst());
        GemmEpilogue epi = epilogue(cx, node, act);
        long batch = ElementwiseCodegen.count(Arrays.copyOf(ys, ys.length - 2));
        long aBatch = ElementwiseCodegen.count(Arrays.copyOf(as, as.length - 2)), bBatch = ElementwiseCodegen.count(Arrays.copyOf(bs, bs.length - 2));
        Optional<PackedB> constant = bBatch == 1 ? packConstant(cx, node.input(1).get(), false, k, n, 1f) : Optional.empty();
        if (constant.isPresent() && aBatch == batch) {
            PackedB p = constant.get();
            int rows = (int) (batch * m);
            cx.explain.append("// ").append(node.describe()).append(": GEMM M=").append(rows).append(" K=").append(k).append(" N=").append(n).append(", B packed\n");
            return t -> Gemm.multiply(t, new Gemm.Operand(a, 0, k, false), p, y, 0, n, rows, new float[0], bias, epi);
        }
        if ((aBatch != batch && aBatch != 1) || (bBatch != batch && bBatch != 1)) {
            throw new TensorCompileException(node.describe() + ": MatMul batch axes must match or be absent, not " + Arrays.toString(as) + " x " + Arrays.toString(bs));
        }
        MemorySegment b = cx.segment(node.input(1).get());
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[PackedB.size(k, n)]);
        cx.explain.append("// ").append(node.describe()).append(": ").append(batch).append(" GEMMs M=").append(m).append(" K=").append(k)
                .append(" N=").append(n).append(", B packed per run, threads over the batch\n");
        // Many small products (attention heads): threads take whole batch entries, which costs one hand-off per run, not per GEMM.
        return t -> t.forWork(batch, (long) m * k * n, (i0, i1) -> {
            float[] buf = scratch.get();
            TensorThreads inner = batch >= t.threads() ? TensorThreads.SERIAL : t;
            for (long i = i0; i < i1; i++) {
                long ai = aBatch == 1 ? 0 : i * m * k, bi = bBatch == 1 ? 0 : i * k * n;
                PackedB p = PackedB.packInto(buf, b, bi, n, false, k, n);
                Gemm.multiply(inner, new Gemm.Operand(a, ai, k, false), p, y, i * m * n, n, m, new float[0], bias, epi);
            }
        });
    }

    static TensorStep pool(CompileContext cx, TensorNode node, Window w, boolean ceil, boolean max, boolean countPad) {
        long[] xs = cx.shape(node.input(0).get());
        ConvGeometry2d g = geometry(w, xs, new long[] {w.kernelShape().get(0), w.kernelShape().get(1)}, 1, ceil);
        MemorySegment x = cx.segment(node.input(0).get()), y = cx.segment(node.outputs().getFirst());
        long planes = xs[0] * xs[1];
        return t -> Pool2d.pool(t, x, y, planes, g, max, countPad);
    }
}
