package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The exact Gelu as exporters write it before opset 20, {@code (x · (erf(x / √2) + 1)) · 0.5},
 * becomes one Gelu node, which the bias-activation fusion can then take into the MatMul before it.
 * Operands of Add and Mul match in either order; the constants must be √2, 1 and 0.5 to float
 * precision.
 */
public final class RecognizeGelu implements TensorPass {
    @Override public String name() { return "recognize-gelu"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        Set<TensorNode> dropped = new HashSet<>();
        java.util.Map<TensorNode, TensorNode> replaced = new java.util.HashMap<>();
        for (TensorNode div : g.nodes()) {
            if (!binary(div, BinaryFn.DIV) || !isConst(view, div.input(1).get(), Math.sqrt(2))) continue;
            String x = div.input(0).get();
            Optional<TensorNode> erf = view.soleConsumer(div.outputs().getFirst())
                    .filter(n -> n.op() instanceof ElementwiseOp.Unary u && u.fn() == ElementwiseOp.UnaryFn.ERF);
            Optional<TensorNode> add = erf.flatMap(n -> view.soleConsumer(n.outputs().getFirst()))
                    .filter(n -> binary(n, BinaryFn.ADD) && otherIsConst(view, n, erf.get().outputs().getFirst(), 1));
            Optional<TensorNode> mul = add.flatMap(n -> view.soleConsumer(n.outputs().getFirst()))
                    .filter(n -> binary(n, BinaryFn.MUL) && other(n, add.get().outputs().getFirst()).equals(Optional.of(x)));
            Optional<TensorNode> half = mul.flatMap(n -> view.soleConsumer(n.outputs().getFirst()))
                    .filter(n -> binary(n, BinaryFn.MUL) && otherIsConst(view, n, mul.get().outputs().getFirst(), 0.5));
            if (half.isEmpty()) continue;
            replaced.put(half.get(), TensorNode.of(div.name() + "_gelu", new ElementwiseOp.Gelu(ElementwiseOp.GeluApproximation.NONE),
                    List.of(x), half.get().outputs()));
            dropped.addAll(List.of(div, erf.get(), add.get(), mul.get()));
        }
        if (replaced.isEmpty()) return g;
        List<TensorNode> nodes = new ArrayList<>();
        for (TensorNode n : g.nodes()) if (!dropped.contains(n)) nodes.add(replaced.getOrDefault(n, n));
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), nodes, g.initializers());
    }

    private static boolean binary(TensorNode n, BinaryFn fn) {
        return n.op() instanceof ElementwiseOp.Binary b && b.fn() == fn && n.input(0).isPresent() && n.input(1).isPresent();
    }

    private static Optional<String> other(TensorNode n, String value) {
        if (n.input(0).get().equals(value)) return n.input(1);
        if (n.input(1).get().equals(value)) return n.input(0);
        return Optional.empty();
    }

    private static boolean otherIsConst(GraphView view, TensorNode n, String value, double expected) {
        return other(n, value).map(o -> isConst(view, o, expected)).orElse(false);
    }

    private static boolean isConst(GraphView view, String value, double expected) {
        Optional<Tensor> t = view.constant(value);
        return t.isPresent() && t.get().size() == 1 && t.get().type() == dev.kiln.ir.tensor.ElementType.FLOAT32
                && (float) t.get().getDouble(0) == (float) expected;
    }
}
