package dev.kiln.ir.tensor;

import dev.kiln.ir.tensor.ElementwiseOp.UnaryFn;
import java.util.List;

/** Output types of {@link ElementwiseOp}s: the broadcast of the inputs' shapes. */
final class ElementwiseTyping {
    private ElementwiseTyping() {}

    static List<TensorType> infer(ElementwiseOp op, NodeTyping t) {
        return switch (op) {
            case ElementwiseOp.Unary u -> {
                t.arity(1, 1, 1, 1);
                switch (u.fn()) {
                    case NOT -> t.requireElement(0, ElementType.BOOL);
                    case RELU, NEG, ABS, SIGN -> t.requireNumeric(0);
                    default -> t.requireFloat(0);
                }
                if (u.fn() == UnaryFn.NEG && t.element(0).isUnsigned()) throw t.fail("Neg of unsigned " + t.type(0));
                yield List.of(t.type(0));
            }
            case ElementwiseOp.LeakyRelu l -> floatUnary(t);
            case ElementwiseOp.HardSigmoid h -> floatUnary(t);
            case ElementwiseOp.Gelu g -> floatUnary(t);
            case ElementwiseOp.Clip c -> {
                t.arity(1, 3, 1, 1);
                t.requireNumeric(0);
                for (int i = 1; i < 3; i++) {
                    if (!t.has(i)) continue;
                    t.requireSameElement(0, i);
                    if (t.shape(i).rank() != 0) throw t.fail((i == 1 ? "min" : "max") + " must be a scalar, not " + t.shape(i));
                }
                yield List.of(t.type(0));
            }
            case ElementwiseOp.Binary b -> {
                t.arity(2, 2, 1, 1);
                if (b.fn().isLogical()) {
                    t.requireElement(0, ElementType.BOOL);
                    t.requireElement(1, ElementType.BOOL);
                } else {
                    t.requireNumeric(0);
                    t.requireNumeric(1);
                    // Pow alone allows an exponent of another numeric type.
                    if (b.fn() != ElementwiseOp.BinaryFn.POW) t.requireSameElement(0, 1);
                }
                TensorShape shape = t.broadcast(t.shape(0), t.shape(1));
                ElementType out = b.fn().isComparison() || b.fn().isLogical() ? ElementType.BOOL : t.element(0);
                yield List.of(new TensorType(out, shape));
            }
            case ElementwiseOp.Variadic v -> {
                t.arity(1, Integer.MAX_VALUE, 1, 1);
                t.requireNumeric(0);
                TensorShape shape = t.shape(0);
                for (int i = 1; i < t.inputCount(); i++) {
                    t.requireSameElement(0, i);
                    shape = t.broadcast(shape, t.shape(i));
                }
                yield List.of(new TensorType(t.element(0), shape));
            }
            case ElementwiseOp.Where w -> {
                t.arity(3, 3, 1, 1);
                t.requireElement(0, ElementType.BOOL);
                t.requireSameElement(1, 2);
                TensorShape shape = t.broadcast(t.broadcast(t.shape(0), t.shape(1)), t.shape(2));
                yield List.of(new TensorType(t.element(1), shape));
            }
            case ElementwiseOp.Cast c -> {
                t.arity(1, 1, 1, 1);
                yield List.of(new TensorType(c.to(), t.shape(0)));
            }
            case ElementwiseOp.Identity i -> {
                t.arity(1, 1, 1, 1);
                yield List.of(t.type(0));
            }
        };
    }

    private static List<TensorType> floatUnary(NodeTyping t) {
        t.arity(1, 1, 1, 1);
        t.requireFloat(0);
        return List.of(t.type(0));
    }
}
