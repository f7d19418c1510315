package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import java.util.Optional;

/** Which nodes are activations a fused operator can apply, and as which {@link Activation}. */
final class Activations {
    private Activations() {}

    static Optional<Activation> of(TensorNode n, GraphView view) {
        return switch (n.op()) {
            case ElementwiseOp.Unary u -> switch (u.fn()) {
                case RELU -> Optional.of(new Activation.Relu());
                case SIGMOID -> Optional.of(new Activation.Sigmoid());
                case HARD_SWISH -> Optional.of(new Activation.HardSwish());
                default -> Optional.empty();
            };
            case ElementwiseOp.LeakyRelu l -> Optional.of(new Activation.LeakyRelu(l.alpha()));
            case ElementwiseOp.HardSigmoid h -> Optional.of(new Activation.HardSigmoid(h.alpha(), h.beta()));
            case ElementwiseOp.Gelu g -> Optional.of(new Activation.Gelu(g.approximate()));
            case ElementwiseOp.Clip c -> {
                Optional<Float> min = limit(n, 1, view, Float.NEGATIVE_INFINITY), max = limit(n, 2, view, Float.POSITIVE_INFINITY);
                yield min.isPresent() && max.isPresent() ? Optional.of(new Activation.Clip(min.get(), max.get())) : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** A Clip limit: absent means unbounded; given, it must be a constant float scalar. */
    private static Optional<Float> limit(TensorNode n, int i, GraphView view, float absent) {
        if (n.input(i).isEmpty()) return Optional.of(absent);
        Optional<Tensor> c = view.constant(n.input(i).get());
        return c.filter(t -> t.size() == 1 && t.type() == dev.kiln.ir.tensor.ElementType.FLOAT32).map(t -> (float) t.getDouble(0));
    }
}
