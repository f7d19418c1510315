package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShapeInference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Layer normalization as exporters write it before opset 17 (BERT and MiniLM from PyTorch):
 * {@code d = x - ReduceMean(x); (d / Sqrt(ReduceMean(d^2) + eps)) * gamma + beta}, every mean over
 * the last axis with kept dims, becomes one LayerNormalization node: one pass per row computing
 * both statistics instead of nine elementwise and reduction kernels. {@code d^2} may be a Pow by 2
 * or {@code d * d}; gamma and beta must be constants over the last axis. Every intermediate must be
 * read by the pattern alone.
 */
public final class RecognizeLayerNorm implements TensorPass {
    @Override public String name() { return "recognize-layer-norm"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        TensorShapeInference.Result types = null;
        Map<TensorNode, TensorNode> replaced = new HashMap<>();
        Set<TensorNode> dropped = new HashSet<>();
        for (TensorNode mean : g.nodes()) {
            if (!(mean.op() instanceof ReductionOp.Reduce r) || r.fn() != ReductionOp.ReduceFn.MEAN || !r.keepDims() || dropped.contains(mean)) continue;
            String x = mean.input(0).orElse(null);
            if (x == null) continue;
            if (types == null) types = TensorShapeInference.infer(g);
            int rank = types.type(x).rank();
            long cols = rank > 0 && types.type(x).shape().dim(rank - 1) instanceof dev.kiln.ir.tensor.Dim.Fixed f ? f.size() : -1;
            if (rank < 1 || !lastAxis(view, mean, rank)) continue;
            String m = mean.outputs().getFirst();
            Optional<TensorNode> sub = view.soleConsumer(m).filter(n -> binary(n, BinaryFn.SUB) && n.input(0).equals(Optional.of(x)) && n.input(1).equals(Optional.of(m)));
            if (sub.isEmpty()) continue;
            String d = sub.get().outputs().getFirst();
            List<TensorNode> readers = view.consumers(d).stream().distinct().toList();
            // d is read by the square (d * d reads it twice) and by the division
            if (readers.size() != 2) continue;
            TensorNode square = readers.stream().filter(n -> isSquareOf(view, n, d)).findFirst().orElse(null);
            TensorNode div = readers.stream().filter(n -> binary(n, BinaryFn.DIV) && n.input(0).equals(Optional.of(d))).findFirst().orElse(null);
            if (square == null || div == null || square == div) continue;
            Optional<TensorNode> var = view.soleConsumer(square.outputs().getFirst())
                    .filter(n -> n.op() instanceof ReductionOp.Reduce vr && vr.fn() == ReductionOp.ReduceFn.MEAN && vr.keepDims() && lastAxis(view, n, rank));
            Optional<TensorNode> addEps = var.flatMap(n -> view.soleConsumer(n.outputs().getFirst())).filter(n -> binary(n, BinaryFn.ADD));
            Optional<Float> eps = addEps.flatMap(n -> other(n, var.get().outputs().getFirst())).flatMap(view::constant)
                    .filter(t -> t.size() == 1 && t.type() == ElementType.FLOAT32).map(t -> (float) t.getDouble(0));
            Optional<TensorNode> sqrt = addEps.flatMap(n -> view.soleConsumer(n.outputs().getFirst()))
                    .filter(n -> n.op() instanceof ElementwiseOp.Unary u && u.fn() == ElementwiseOp.UnaryFn.SQRT);
            if (eps.isEmpty() || sqrt.isEmpty() || !div.input(1).equals(Optional.of(sqrt.get().outputs().getFirst()))
                    || view.soleConsumer(sqrt.get().outputs().getFirst()).isEmpty()) continue;
            String normalized = div.outputs().getFirst();
            Optional<TensorNode> scale = view.soleConsumer(normalized).filter(n -> binary(n, BinaryFn.MUL));
            Optional<String> gamma = scale.flatMap(n -> other(n, normalized)).filter(v -> view.constant(v).map(t -> lastAxisConstant(t, rank, cols)).orElse(false));
            if (gamma.isEmpty()) continue;
            String scaled = scale.get().outputs().getFirst();
            Optional<TensorNode> shift = view.soleConsumer(scaled).filter(n -> binary(n, BinaryFn.ADD));
            Optional<String> beta = shift.flatMap(n -> other(n, scaled)).filter(v -> view.constant(v).map(t -> lastAxisConstant(t, rank, cols)).orElse(false));
            if (beta.isEmpty()) continue;
            replaced.put(shift.get(), new TensorNode(mean.name() + "_layernorm", new NeuralOp.LayerNormalization(-1, eps.get()),
                    List.of(Optional.of(x), gamma, beta), shift.get().outputs()));
            dropped.addAll(List.of(mean, sub.get(), square, var.get(), addEps.get(), sqrt.get(), div, scale.get()));
        }
        return GraphView.rewritten(g, replaced, dropped, g.initializers());
    }

    /** The reduction's axes are the last axis only (axes input [-1] or [rank - 1]). */
    private static boolean lastAxis(GraphView view, TensorNode reduce, int rank) {
        if (reduce.inputs().size() < 2 || reduce.input(1).isEmpty()) return rank == 1;
        return view.constant(reduce.input(1).get()).map(Tensor::toLongArray)
                .map(a -> a.length == 1 && (a[0] == -1 || a[0] == rank - 1)).orElse(false);
    }

    private static boolean isSquareOf(GraphView view, TensorNode n, String d) {
        if (binary(n, BinaryFn.MUL)) return n.input(0).equals(Optional.of(d)) && n.input(1).equals(Optional.of(d));
        return binary(n, BinaryFn.POW) && n.input(0).equals(Optional.of(d))
                && view.constant(n.input(1).get()).map(t -> t.size() == 1 && t.getDouble(0) == 2).orElse(false);
    }

    /** A float32 constant of the last axis' values (all {@code cols} of them) that broadcasting cannot raise the rank with. */
    private static boolean lastAxisConstant(Tensor t, int rank, long cols) {
        if (t.type() != ElementType.FLOAT32 || t.rank() > rank || t.rank() == 0 || cols < 0 || t.dim(t.rank() - 1) != cols) return false;
        for (int i = 0; i < t.rank() - 1; i++) if (t.dim(i) != 1) return false;
        return true;
    }

    private static boolean binary(TensorNode n, BinaryFn fn) {
        return n.op() instanceof ElementwiseOp.Binary b && b.fn() == fn && n.inputs().size() == 2 && n.input(0).isPresent() && n.input(1).isPresent();
    }

    private static Optional<String> other(TensorNode n, String value) {
        if (n.input(0).equals(Optional.of(value))) return n.input(1);
        if (n.input(1).equals(Optional.of(value))) return n.input(0);
        return Optional.empty();
    }
}
