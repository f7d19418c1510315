package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Output types of {@link FusedOp}s: those of their expansion, typed node by node. */
final class FusedTyping {
    private FusedTyping() {}

    static List<TensorType> infer(FusedOp op, NodeTyping t) {
        if (t.node().outputs().size() != 1) throw t.fail("has one output, not " + t.node().outputs().size());
        FusedExpansion.Expanded ex = FusedExpansion.expand(op, t.inputCount());
        Map<String, TensorType> types = new HashMap<>();
        Map<String, Tensor> consts = new HashMap<>(ex.constants());
        ex.constants().forEach((k, v) -> types.put(k, v.tensorType()));
        for (int i = 0; i < t.inputCount(); i++) {
            if (!t.has(i)) continue;
            types.put(FusedExpansion.input(i), t.type(i));
            int idx = i;
            t.constant(i).ifPresent(c -> consts.put(FusedExpansion.input(idx), c));
        }
        for (TensorNode n : ex.nodes()) {
            List<Optional<TensorType>> in = new ArrayList<>();
            List<Optional<Tensor>> cs = new ArrayList<>();
            for (Optional<String> name : n.inputs()) {
                in.add(name.map(types::get));
                cs.add(name.flatMap(x -> Optional.ofNullable(consts.get(x))));
            }
            TensorNode named = new TensorNode(t.node().name() + "/" + n.name(), n.op(), n.inputs(), n.outputs());
            List<TensorType> outs = TensorOpTyping.outputTypes(new NodeTyping(named, in, cs));
            types.put(n.outputs().getFirst(), outs.getFirst());
        }
        return List.of(types.get(FusedExpansion.OUT));
    }
}
