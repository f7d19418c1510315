package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Drops nodes none of whose outputs reach a graph output, and initializers nothing reads. */
public final class EliminateDeadNodes implements TensorPass {
    @Override public String name() { return "dead-nodes"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        Set<String> live = new HashSet<>();
        for (TensorValue out : g.outputs()) live.add(out.name());
        List<TensorNode> kept = new ArrayList<>();
        for (TensorNode n : g.nodes().reversed()) {
            if (n.outputs().stream().noneMatch(live::contains)) continue;
            kept.add(n);
            for (Optional<String> in : n.inputs()) in.ifPresent(live::add);
        }
        Map<String, Tensor> inits = new LinkedHashMap<>();
        g.initializers().forEach((k, v) -> {
            if (live.contains(k) || g.inputs().stream().anyMatch(i -> i.name().equals(k))) inits.put(k, v);
        });
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), kept.reversed(), inits);
    }
}
