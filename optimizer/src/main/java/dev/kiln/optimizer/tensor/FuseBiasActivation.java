package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Conv, Gemm and MatMul absorb the bias Add and the activation after them, so the GEMM adds the
 * bias and applies the activation to each tile while it is in cache: Conv (without a bias) +
 * Add of a constant [C,1,1] becomes Conv with bias C; MatMul + Add of a constant over its last
 * axis becomes {@link FusedOp.MatMulBias}; then the activations and Add/Sub/Mul/Div with scalar
 * constants that follow are taken in, as one {@link Activation.Chain} where there are several. A value read
 * by anything else, or a graph output, is never fused away.
 */
public final class FuseBiasActivation implements TensorPass {
    @Override public String name() { return "fuse-bias-activation"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        Map<TensorNode, TensorNode> replaced = new HashMap<>();
        Set<TensorNode> dropped = new HashSet<>();
        for (TensorNode n : g.nodes()) {
            if (dropped.contains(n)) continue;
            // Only 2-D convolutions: their output [N, C, H, W] is what a [C, 1, 1] bias lines up with.
            boolean conv = n.op() instanceof NeuralOp.Conv && n.input(1).flatMap(view::constant).map(w -> w.rank() == 4).orElse(false);
            boolean matmul = n.op() instanceof NeuralOp.MatMul;
            if (!conv && !matmul && !(n.op() instanceof NeuralOp.Gemm)) continue;
            List<Optional<String>> inputs = new ArrayList<>(n.inputs());
            String out = n.outputs().getFirst();
            List<TensorNode> absorbed = new ArrayList<>();
            Optional<TensorNode> next = view.soleConsumer(out);
            if (next.isPresent() && isAdd(next.get()) && (matmul || conv && n.input(2).isEmpty())) {
                TensorNode add = next.get();
                String other = add.input(0).get().equals(out) ? add.input(1).get() : add.input(0).get();
                Optional<Tensor> bias = view.constant(other).flatMap(t -> conv ? channelBias(t) : lastAxisBias(t));
                if (bias.isPresent() && !add.input(0).get().equals(add.input(1).get())) {
                    String name = FoldBatchNorm.fresh(inits, n.name() + "_bias");
                    inits.put(name, bias.get());
                    while (inputs.size() < 2) inputs.add(Optional.empty());
                    if (inputs.size() == 2) inputs.add(Optional.of(name));
                    else inputs.set(2, Optional.of(name));
                    absorbed.add(add);
                    out = add.outputs().getFirst();
                    next = view.soleConsumer(out);
                }
            }
            // then the activations and the steps with scalar constants after it, as one epilogue (PP-OCRv4's learnable affine
            // maps around its activations: a·x + b, HardSwish, c·x + d)
            Activation act = new Activation.None();
            while (next.isPresent()) {
                TensorNode step = next.get();
                Optional<Activation> a = scalarStep(step, out, view);
                if (a.isEmpty() && step.input(0).equals(Optional.of(out))) a = Activations.of(step, view);
                if (a.isEmpty()) break;
                act = act.then(a.get());
                absorbed.add(step);
                out = step.outputs().getFirst();
                next = view.soleConsumer(out);
            }
            if (absorbed.isEmpty()) continue;
            var op = switch (n.op()) {
                case NeuralOp.Conv c -> new FusedOp.ConvActivation(c, act);
                case NeuralOp.Gemm gm -> new FusedOp.GemmActivation(gm, act);
                default -> new FusedOp.MatMulBias(act);
            };
            replaced.put(n, new TensorNode(n.name(), op, inputs, List.of(out)));
            dropped.addAll(absorbed);
        }
        return GraphView.rewritten(g, replaced, dropped, inits);
    }

    /** Add, Sub, Mul or Div of {@code value} and a float32 scalar constant (rank 0 or 1: it cannot raise the value's rank). */
    private static Optional<Activation> scalarStep(TensorNode n, String value, GraphView view) {
        if (!(n.op() instanceof ElementwiseOp.Binary b) || n.inputs().size() != 2) return Optional.empty();
        if (b.fn() != ElementwiseOp.BinaryFn.ADD && b.fn() != ElementwiseOp.BinaryFn.SUB && b.fn() != ElementwiseOp.BinaryFn.MUL && b.fn() != ElementwiseOp.BinaryFn.DIV) {
            return Optional.empty();
        }
        boolean first = n.input(1).equals(Optional.of(value));
        if (!first && !n.input(0).equals(Optional.of(value)) || n.input(0).equals(n.input(1))) return Optional.empty();
        Optional<Tensor> c = n.input(first ? 0 : 1).flatMap(view::constant)
                .filter(t -> t.size() == 1 && t.rank() <= 1 && t.type() == dev.kiln.ir.tensor.ElementType.FLOAT32);
        return c.map(t -> new Activation.Scalar(b.fn(), (float) t.getDouble(0), first));
    }

    private static boolean isAdd(TensorNode n) {
        return n.op() instanceof ElementwiseOp.Binary b && b.fn() == ElementwiseOp.BinaryFn.ADD;
    }

    /** A [C], [C,1,1] or [1,C,1,1] constant as a [C] bias. */
    private static Optional<Tensor> channelBias(Tensor t) {
        long[] s = t.shape();
        if (s.length < 3 || s.length > 4 || t.type() != dev.kiln.ir.tensor.ElementType.FLOAT32) return Optional.empty();
        for (int i = 0; i < s.length; i++) {
            if (i != s.length - 3 && s[i] != 1) return Optional.empty();
        }
        return Optional.of(t.reshape(new long[] {t.size()}));
    }

    /** A constant that only varies along the last axis (its leading dims all 1) as a [N] bias. */
    private static Optional<Tensor> lastAxisBias(Tensor t) {
        long[] s = t.shape();
        // Rank 2 at most, so adding it cannot raise the rank of a matrix product.
        if (s.length == 0 || s.length > 2 || t.type() != dev.kiln.ir.tensor.ElementType.FLOAT32) return Optional.empty();
        for (int i = 0; i < s.length - 1; i++) if (s[i] != 1) return Optional.empty();
        return Optional.of(t.reshape(new long[] {t.size()}));
    }
}
