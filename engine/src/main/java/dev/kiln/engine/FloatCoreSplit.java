package dev.kiln.engine;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShapeInference;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model graph, typed for given input shapes, cut in two where its float32 part ends: the core
 * (every node whose inputs are the float32 graph inputs, constants or other core nodes' outputs,
 * and whose outputs are float32 or constant for these shapes) is
 * compiled; the tail (the rest, e.g. a top-k giving int64 class indices and a gather of string
 * labels after a CNN) runs on the reference interpreter over the core's outputs. The tail of a
 * classifier is a few hundred values per batch, so interpreting it costs nothing next to the model,
 * where interpreting the whole graph because of it would cost everything.
 *
 * @param core  the compiled part: the graph's inputs, the values the tail or the caller read as outputs
 * @param tail  the interpreted part: the core's outputs that it reads as inputs; empty when the core is the whole graph
 */
record FloatCoreSplit(TensorGraph core, Optional<TensorGraph> tail) {
    /** The split, or empty where there is no float32 core to compile (a non-float input, or no float node at all). */
    static Optional<FloatCoreSplit> of(TensorGraph g, Map<String, long[]> inputShapes) {
        // float outputs: the compiler takes the whole graph (it also takes int64 inputs such as token ids, or refuses with a reason)
        if (g.outputs().stream().allMatch(v -> v.type().element() == ElementType.FLOAT32)) return Optional.of(new FloatCoreSplit(g, Optional.empty()));
        for (TensorValue v : g.inputs()) if (v.type().element() != ElementType.FLOAT32) return Optional.empty();
        // typed for these input shapes, so that shape arithmetic (Shape, Gather of dims, Concat of sizes) is constant and stays in the core
        List<TensorValue> bound = g.inputs().stream().map(v -> inputShapes.containsKey(v.name())
                ? new TensorValue(v.name(), new dev.kiln.ir.tensor.TensorType(v.type().element(), dev.kiln.ir.tensor.TensorShape.of(inputShapes.get(v.name()))))
                : v).toList();
        TensorShapeInference.Result types = TensorShapeInference.infer(new TensorGraph(g.name(), bound, g.outputs(), g.nodes(), g.initializers()));
        Set<String> coreValues = new HashSet<>(g.initializers().keySet());
        for (TensorValue v : g.inputs()) coreValues.add(v.name());
        List<TensorNode> core = new ArrayList<>(), tail = new ArrayList<>();
        for (TensorNode n : g.nodes()) {
            boolean inCore = n.inputs().stream().flatMap(Optional::stream).allMatch(coreValues::contains)
                    && (n.outputs().stream().allMatch(types.constants()::containsKey)
                        || n.outputs().stream().allMatch(o -> types.type(o).element() == ElementType.FLOAT32));
            (inCore ? core : tail).add(n);
            if (inCore) coreValues.addAll(n.outputs());
        }
        if (core.isEmpty()) return Optional.empty();
        if (tail.isEmpty()) return Optional.of(new FloatCoreSplit(g, Optional.empty()));
        // the core's outputs: its values the tail reads, and the graph's outputs it computes
        Set<String> boundary = new LinkedHashSet<>();
        Set<String> produced = new HashSet<>();
        core.forEach(n -> produced.addAll(n.outputs()));
        for (TensorNode n : tail) n.inputs().stream().flatMap(Optional::stream).filter(produced::contains).forEach(boundary::add);
        for (TensorValue v : g.outputs()) if (produced.contains(v.name())) boundary.add(v.name());
        List<TensorValue> coreOuts = boundary.stream().map(b -> new TensorValue(b, types.type(b))).toList();
        for (TensorValue v : coreOuts) if (v.type().element() != ElementType.FLOAT32) return Optional.empty(); // a constant the tail reads: not worth a program
        // declared with free dimensions: the same core serves every batch size (its program is compiled per shapes)
        List<TensorValue> coreDeclared = coreOuts.stream().map(v -> new TensorValue(v.name(), new dev.kiln.ir.tensor.TensorType(v.type().element(),
                new dev.kiln.ir.tensor.TensorShape(java.util.stream.IntStream.range(0, v.type().rank())
                        .mapToObj(i -> (dev.kiln.ir.tensor.Dim) dev.kiln.ir.tensor.Dim.symbol(v.name() + "$" + i)).toList())))).toList();
        TensorGraph coreGraph = new TensorGraph(g.name() + "$core", g.inputs(), coreDeclared, core, used(g.initializers(), core));
        // the tail's inputs: the core's outputs and the graph inputs it reads; its outputs: the graph's that the core does not compute
        List<TensorValue> tailIns = new ArrayList<>(coreOuts);
        Set<String> tailReads = new HashSet<>();
        tail.forEach(n -> n.inputs().stream().flatMap(Optional::stream).forEach(tailReads::add));
        for (TensorValue v : g.inputs()) if (tailReads.contains(v.name())) tailIns.add(v);
        List<TensorValue> tailOuts = g.outputs().stream().filter(v -> !produced.contains(v.name())).toList();
        TensorGraph tailGraph = new TensorGraph(g.name() + "$tail", tailIns, tailOuts, tail, used(g.initializers(), tail));
        return Optional.of(new FloatCoreSplit(coreGraph, Optional.of(tailGraph)));
    }

    private static Map<String, Tensor> used(Map<String, Tensor> init, List<TensorNode> nodes) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorNode n : nodes) n.inputs().stream().flatMap(Optional::stream).filter(init::containsKey).forEach(v -> out.put(v, init.get(v)));
        return out;
    }
}
