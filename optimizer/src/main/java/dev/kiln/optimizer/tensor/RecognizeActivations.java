package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Activations exporters write out as several elementwise nodes become one node each, which the
 * bias-activation fusion can then take into the MatMul or Conv before it:
 * <ul>
 *   <li>the exact Gelu before opset 20, {@code (x · (erf(x / √2) + 1)) · 0.5};</li>
 *   <li>HardSwish before opset 14, {@code x · clip(x + 3, 0, 6) / 6} (or {@code · 1/6}), and
 *       {@code x · HardSigmoid(x)} with alpha 1/6 and beta 0.5 (MobileNetV3 and PaddleOCR's
 *       classifier use it after nearly every convolution).</li>
 * </ul>
 * Operands of Add and Mul match in either order; constants must be the formula's to float
 * precision. The fused form computes {@code x · max(0, min(1, x / 6 + 0.5))}, equal up to float
 * rounding.
 */
public final class RecognizeActivations implements TensorPass {
    @Override public String name() { return "recognize-activations"; }

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
        for (TensorNode mul : g.nodes()) {
            if (dropped.contains(mul) || replaced.containsKey(mul) || !binary(mul, BinaryFn.MUL)) continue;
            Optional<HardSwishMatch> m = hardSwish(view, mul);
            if (m.isEmpty() || m.get().nodes().stream().anyMatch(n -> dropped.contains(n) || replaced.containsKey(n))) continue;
            TensorNode last = m.get().nodes().getLast();
            replaced.put(last, TensorNode.of(mul.name() + "_hardswish", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.HARD_SWISH), List.of(m.get().x()), last.outputs()));
            dropped.addAll(m.get().nodes().subList(0, m.get().nodes().size() - 1));
        }
        return GraphView.rewritten(g, replaced, dropped, g.initializers());
    }

    /** A HardSwish of {@code x} written out: its nodes in graph order, the last one's output the activation. */
    private record HardSwishMatch(String x, List<TensorNode> nodes) {}

    /** The HardSwish whose multiplication by x is this Mul: {@code x · HardSigmoid(x)} or {@code x · clip(x + 3, 0, 6)} then / 6 or · 1/6. */
    private static Optional<HardSwishMatch> hardSwish(GraphView view, TensorNode mul) {
        String product = mul.outputs().getFirst();
        for (int side = 0; side < 2; side++) {
            String x = mul.input(side).get(), gate = mul.input(1 - side).get();
            Optional<TensorNode> g = view.producer(gate).filter(n -> !x.equals(gate) && view.soleConsumer(gate).isPresent());
            if (g.isEmpty()) continue;
            TensorNode gn = g.get();
            if (gn.op() instanceof ElementwiseOp.HardSigmoid hs && gn.input(0).equals(Optional.of(x)) && hs.alpha() == 1f / 6f && hs.beta() == 0.5f) {
                return Optional.of(new HardSwishMatch(x, List.of(gn, mul)));
            }
            if (!(gn.op() instanceof ElementwiseOp.Clip) || gn.inputs().size() < 3 || gn.input(0).isEmpty() || gn.input(1).isEmpty() || gn.input(2).isEmpty()
                    || !isConst(view, gn.input(1).get(), 0) || !isConst(view, gn.input(2).get(), 6)) continue;
            String shifted = gn.input(0).get();
            Optional<TensorNode> add = view.producer(shifted)
                    .filter(n -> view.soleConsumer(shifted).isPresent() && binary(n, BinaryFn.ADD) && otherIsConst(view, n, x, 3));
            Optional<TensorNode> scale = view.soleConsumer(product).filter(n -> binary(n, BinaryFn.DIV) && n.input(0).get().equals(product) && isConst(view, n.input(1).get(), 6)
                    || binary(n, BinaryFn.MUL) && otherIsConst(view, n, product, 1.0 / 6));
            if (add.isPresent() && scale.isPresent()) return Optional.of(new HardSwishMatch(x, List.of(add.get(), gn, mul, scale.get())));
        }
        return Optional.empty();
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
