package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.NodeTyping;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOpTyping;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces every node whose inputs are all constants by initializers holding its results,
 * computed by the interpreter's kernels (so folding means what running means), whatever their
 * size: weight transposes and reshapes exporters leave in front of MatMuls become plain weights.
 * Shape computations (Shape → Gather → Concat) fold too, because shape inference already knows
 * the shapes of inputs with fixed dims.
 */
public final class FoldConstants implements TensorPass {
    @Override public String name() { return "fold-constants"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        Map<String, Tensor> consts = new LinkedHashMap<>(g.initializers());
        for (var in : g.inputs()) consts.remove(in.name());
        Map<String, Tensor> known = new LinkedHashMap<>(consts);
        // Shape inference folds Shape of statically shaped values even when the value is not constant.
        dev.kiln.ir.tensor.TensorShapeInference.infer(g).constants().forEach(known::putIfAbsent);
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        List<TensorNode> kept = new ArrayList<>();
        for (TensorNode n : g.nodes()) {
            boolean allConst = n.inputs().stream().allMatch(i -> i.isEmpty() || known.containsKey(i.get()));
            boolean outputsKnown = n.outputs().stream().allMatch(known::containsKey);
            if (!allConst && !outputsKnown) {
                kept.add(n);
                continue;
            }
            List<Tensor> values;
            if (outputsKnown) {
                values = n.outputs().stream().map(known::get).toList();
            } else {
                List<Optional<Tensor>> in = n.inputs().stream().map(i -> i.map(known::get)).toList();
                List<Optional<TensorType>> types = in.stream().map(o -> o.map(Tensor::tensorType)).toList();
                List<TensorType> outTypes = TensorOpTyping.outputTypes(new NodeTyping(n, types, in));
                values = Evaluate.node(n, in, outTypes);
            }
            for (int i = 0; i < values.size(); i++) {
                known.put(n.outputs().get(i), values.get(i));
                inits.put(n.outputs().get(i), values.get(i));
            }
        }
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), kept, inits);
    }

    /** One node through the interpreter: a graph of that node alone. */
    static final class Evaluate {
        static List<Tensor> node(TensorNode n, List<Optional<Tensor>> in, List<TensorType> outTypes) {
            Map<String, Tensor> inits = new LinkedHashMap<>();
            for (int i = 0; i < in.size(); i++) {
                int idx = i;
                in.get(i).ifPresent(t -> inits.put(n.inputs().get(idx).orElseThrow(), t));
            }
            List<dev.kiln.ir.tensor.TensorValue> outs = new ArrayList<>();
            for (int i = 0; i < outTypes.size(); i++) outs.add(new dev.kiln.ir.tensor.TensorValue(n.outputs().get(i), outTypes.get(i)));
            TensorGraph one = new TensorGraph("fold", List.of(), outs, List.of(n), inits);
            return new ArrayList<>(TensorInterpreter.run(one, Map.of()).values());
        }
    }
}
