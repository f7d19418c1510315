package dev.kiln.ir.tensor;

import java.util.List;

/**
 * The output types of one node from its input types (and constant input values). Shape
 * inference runs it over the graph with symbolic shapes; the interpreter runs it on concrete
 * values, so both agree on every output shape.
 */
public final class TensorOpTyping {
    private TensorOpTyping() {}

    public static List<TensorType> outputTypes(NodeTyping t) {
        List<TensorType> outs = switch (t.node().op()) {
            case NeuralOp op -> NeuralTyping.infer(op, t);
            case ElementwiseOp op -> ElementwiseTyping.infer(op, t);
            case LayoutOp op -> LayoutTyping.infer(op, t);
            case ReductionOp op -> ReductionTyping.infer(op, t);
            case QuantizedOp op -> QuantizedTyping.infer(op, t);
            case FusedOp op -> FusedTyping.infer(op, t);
            case TextOp op -> TextTyping.infer(op, t);
            case MlOp op -> MlTyping.infer(op, t);
        };
        if (outs.size() != t.node().outputs().size()) {
            throw t.fail("computes " + outs.size() + " outputs but the node names " + t.node().outputs().size());
        }
        return outs;
    }
}
