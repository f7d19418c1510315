package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.Tensor;
import java.util.List;

/** ONNX Constant: its one value attribute, whichever it is, becomes an initializer named after the output. */
final class ConstantLowering {
    private ConstantLowering() {}

    private static final List<String> VALUE_ATTRIBUTES =
            List.of("value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings", "sparse_value");

    static void lower(ImportNode n) {
        List<OnnxAttribute> given = VALUE_ATTRIBUTES.stream().flatMap(a -> n.attribute(a).stream()).toList();
        if (given.size() != 1) throw n.fail("needs exactly one of " + VALUE_ATTRIBUTES + ", not " + given.stream().map(OnnxAttribute::name).toList());
        OnnxAttribute a = given.getFirst();
        Tensor value = switch (a.name()) {
            case "value" -> OnnxTensors.toTensor(a.t(), n.describe() + " attribute 'value'");
            case "value_float" -> Tensor.scalar(a.f());
            case "value_floats" -> {
                float[] v = new float[a.floats().size()];
                for (int i = 0; i < v.length; i++) v[i] = a.floats().get(i);
                yield Tensor.floats(new long[] {v.length}, v);
            }
            case "value_int" -> Tensor.int64(new long[0], a.i());
            case "value_ints" -> LayoutLowerings.vector(a.ints());
            case "value_string" -> Tensor.strings(new long[0], a.s());
            case "value_strings" -> Tensor.strings(new long[] {a.strings().size()}, a.strings().toArray(String[]::new));
            default -> throw n.fail("attribute '" + a.name() + "' (a sparse tensor) is not supported by Kiln; store the value densely");
        };
        n.defineOutputAsConstant(value);
    }
}
