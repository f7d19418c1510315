package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.UnaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.VariadicFn;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ONNX element-by-element ops onto {@link ElementwiseOp}s, and the inference forms of Dropout and Identity. */
final class ElementwiseLowerings {
    private ElementwiseLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        for (UnaryFn fn : UnaryFn.values()) ops.put(fn.onnxName(), n -> n.emitSimple(new ElementwiseOp.Unary(fn), List.of(n.requiredInput(0))));
        for (BinaryFn fn : BinaryFn.values()) {
            ops.put(fn.onnxName(), n -> n.emitSimple(new ElementwiseOp.Binary(fn), List.of(n.requiredInput(0), n.requiredInput(1))));
        }
        for (VariadicFn fn : VariadicFn.values()) {
            ops.put(fn.onnxName(), n -> n.emit(new ElementwiseOp.Variadic(fn), n.allInputs(), List.of(n.output0())));
        }
        ops.put("LeakyRelu", n -> n.emitSimple(new ElementwiseOp.LeakyRelu(n.f("alpha", 0.01f)), List.of(n.requiredInput(0))));
        ops.put("HardSigmoid", n -> n.emitSimple(new ElementwiseOp.HardSigmoid(n.f("alpha", 0.2f), n.f("beta", 0.5f)),
                List.of(n.requiredInput(0))));
        ops.put("Gelu", n -> {
            ElementwiseOp.GeluApproximation approx = switch (n.s("approximate", "none")) {
                case "none" -> ElementwiseOp.GeluApproximation.NONE;
                case "tanh" -> ElementwiseOp.GeluApproximation.TANH;
                case String other -> throw n.fail("approximate '" + other + "' is not one of none, tanh");
            };
            n.emitSimple(new ElementwiseOp.Gelu(approx), List.of(n.requiredInput(0)));
        });
        ops.put("Clip", ElementwiseLowerings::clip);
        ops.put("Where", n -> n.emitSimple(new ElementwiseOp.Where(), List.of(n.requiredInput(0), n.requiredInput(1), n.requiredInput(2))));
        ops.put("Cast", n -> {
            // saturate only affects casts to float8 types, which the IR does not have
            n.ignore("saturate");
            n.emitSimple(new ElementwiseOp.Cast(target(n, n.requiredInt("to"))), List.of(n.requiredInput(0)));
        });
        ops.put("CastLike", n -> {
            n.ignore("saturate");
            n.emitSimple(new ElementwiseOp.Cast(n.element(1)), List.of(n.requiredInput(0)));
        });
        ops.put("Identity", n -> n.emitSimple(new ElementwiseOp.Identity(), List.of(n.requiredInput(0))));
        ops.put("Dropout", ElementwiseLowerings::dropout);
    }

    private static ElementType target(ImportNode n, long code) {
        var onnx = dev.kiln.frontend.onnx.ElementType.ofCode(code)
                .orElseThrow(() -> n.fail("'to' = " + code + " is not an ONNX element type code"));
        return OnnxTensors.elementType(onnx).orElseThrow(() -> n.fail("casting to " + onnx + " is not supported: the tensor IR has no " + onnx));
    }

    /** Before opset 11 the limits were attributes (defaulting to no limit); they become constant inputs. */
    private static void clip(ImportNode n) {
        String x = n.requiredInput(0);
        if (n.opset() >= 11) {
            n.emit(new ElementwiseOp.Clip(), n.inputs(3), List.of(n.output0()));
            return;
        }
        ElementType type = n.type(x).element();
        Optional<String> min = n.attribute("min").map(a -> n.constant("min", OnnxTensors.scalar(type, a.f())));
        Optional<String> max = n.attribute("max").map(a -> n.constant("max", OnnxTensors.scalar(type, a.f())));
        n.emit(new ElementwiseOp.Clip(), trim(List.of(Optional.of(x), min, max)), List.of(n.output0()));
    }

    private static List<Optional<String>> trim(List<Optional<String>> in) {
        int last = in.size();
        while (last > 0 && in.get(last - 1).isEmpty()) last--;
        return in.subList(0, last);
    }

    /**
     * Inference: Y is X. The mask, when something reads it, is all true (all ones before opset
     * 10, when it had X's type). A ratio makes no difference; training mode is refused.
     */
    private static void dropout(ImportNode n) {
        n.ignore("seed", "ratio");
        String x = n.requiredInput(0);
        n.input(2).ifPresent(training -> {
            Optional<Tensor> value = n.constant(training);
            if (value.isEmpty()) throw n.fail("training_mode is not a constant; Kiln imports models for inference and needs it false");
            if (value.get().getBool(0)) throw n.fail("training_mode is true; Kiln imports models for inference");
        });
        n.emit(new ElementwiseOp.Identity(), List.of(Optional.of(x)), List.of(n.output0()));
        if (n.outputUsed(1)) {
            ElementType maskType = n.opset() < 10 ? n.type(x).element() : ElementType.BOOL;
            String shape = n.helper(new LayoutOp.Shape(0, Optional.empty()), List.of(Optional.of(x)), "shape");
            Tensor one = OnnxTensors.scalar(maskType, 1).reshape(new long[] {1});
            n.emit(new LayoutOp.ConstantOfShape(one), List.of(Optional.of(shape)), List.of(n.output(1).orElseThrow()));
        }
    }
}
