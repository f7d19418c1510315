package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.QuantizedOp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ONNX linear quantization and the integer and QLinear matmuls and convolutions onto {@link QuantizedOp}s. */
final class QuantizedLowerings {
    private QuantizedLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        ops.put("DequantizeLinear", n -> n.emit(new QuantizedOp.DequantizeLinear(n.i("axis", 1), n.i("block_size", 0), outputType(n)),
                n.inputs(3), List.of(n.output0())));
        ops.put("QuantizeLinear", n -> {
            // saturate only affects float8 outputs, which the IR does not have
            n.ignore("saturate");
            n.emit(new QuantizedOp.QuantizeLinear(n.i("axis", 1), n.i("block_size", 0), outputType(n)), n.inputs(3), List.of(n.output0()));
        });
        ops.put("DynamicQuantizeLinear", n -> n.emit(new QuantizedOp.DynamicQuantizeLinear(), n.inputs(1), n.outputs(3)));
        ops.put("MatMulInteger", n -> n.emit(new QuantizedOp.MatMulInteger(), n.inputs(4), List.of(n.output0())));
        ops.put("ConvInteger", n -> n.emit(new QuantizedOp.ConvInteger(WindowAttributes.read(n), n.i("group", 1)), n.inputs(4), List.of(n.output0())));
        ops.put("QLinearConv", n -> n.emit(new QuantizedOp.QLinearConv(WindowAttributes.read(n), n.i("group", 1)), n.inputs(9), List.of(n.output0())));
        ops.put("QLinearMatMul", n -> n.emit(new QuantizedOp.QLinearMatMul(), n.inputs(8), List.of(n.output0())));
    }

    /** output_dtype (opset 21+); 0 or absent leaves the IR's default. */
    private static Optional<ElementType> outputType(ImportNode n) {
        long code = n.i("output_dtype", 0);
        if (code == 0) return Optional.empty();
        var onnx = dev.kiln.frontend.onnx.ElementType.ofCode(code).orElseThrow(() -> n.fail("output_dtype " + code + " is not an ONNX element type code"));
        return Optional.of(OnnxTensors.elementType(onnx).orElseThrow(() -> n.fail("output_dtype " + onnx + " is not supported by Kiln")));
    }
}
