package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.ReductionOp.ReduceFn;
import dev.kiln.ir.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ONNX reductions, ArgMax and TopK onto {@link ReductionOp}s. */
final class ReductionLowerings {
    private ReductionLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        for (ReduceFn fn : ReduceFn.values()) {
            // axes became an input in opset 13 for ReduceSum and in opset 18 for the others
            long since = fn == ReduceFn.SUM ? 13 : 18;
            ops.put(fn.onnxName(), n -> n.emit(new ReductionOp.Reduce(fn, n.flag("keepdims", true), n.flag("noop_with_empty_axes", false)),
                    LayoutLowerings.axesInput(n, since), List.of(n.output0())));
        }
        ops.put("ArgMax", n -> n.emitSimple(new ReductionOp.ArgMax(n.i("axis", 0), n.flag("keepdims", true), n.flag("select_last_index", false)),
                List.of(n.requiredInput(0))));
        ops.put("TopK", n -> {
            ReductionOp.TopK op = new ReductionOp.TopK(n.i("axis", -1), n.flag("largest", true), n.flag("sorted", true));
            // before opset 10, k was an attribute
            String k = n.opset() >= 10 ? n.requiredInput(1) : n.constant("k", Tensor.vector(n.requiredInt("k")));
            n.emit(op, List.of(Optional.of(n.requiredInput(0)), Optional.of(k)), n.outputs(2));
        });
    }
}
