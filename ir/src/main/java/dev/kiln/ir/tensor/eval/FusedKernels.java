package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.FusedExpansion;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.NodeTyping;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOpTyping;
import dev.kiln.ir.tensor.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs a fused node as its expansion: the oracle for fused code is the primitive ops it replaced. */
final class FusedKernels {
    private FusedKernels() {}

    static List<Tensor> evaluate(FusedOp op, List<Optional<Tensor>> in) {
        FusedExpansion.Expanded ex = FusedExpansion.expand(op, in.size());
        Map<String, Tensor> env = new HashMap<>(ex.constants());
        for (int i = 0; i < in.size(); i++) {
            int idx = i;
            in.get(i).ifPresent(t -> env.put(FusedExpansion.input(idx), t));
        }
        for (TensorNode n : ex.nodes()) {
            List<Optional<Tensor>> args = new ArrayList<>();
            List<Optional<TensorType>> types = new ArrayList<>();
            for (Optional<String> name : n.inputs()) {
                Optional<Tensor> v = name.map(env::get);
                args.add(v);
                types.add(v.map(Tensor::tensorType));
            }
            List<TensorType> outTypes = TensorOpTyping.outputTypes(new NodeTyping(n, types, args));
            env.put(n.outputs().getFirst(), Kernels.evaluate(n, args, outTypes).getFirst());
        }
        return List.of(env.get(FusedExpansion.OUT));
    }
}
