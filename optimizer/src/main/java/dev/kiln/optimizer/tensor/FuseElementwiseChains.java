package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Groups float32 elementwise nodes into {@link FusedOp.ElementwiseChain}s computed in one loop.
 * Starting from the last node of a group, a producer joins when every reader of its value is
 * already in the group and the value is not a graph output, so a group has one result and no
 * intermediate is ever written. Elementwise ops commute with broadcasting, so computing every
 * step at the final shape gives the same values as the unfused graph.
 */
public final class FuseElementwiseChains implements TensorPass {
    @Override public String name() { return "fuse-elementwise"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        TensorShapeInference.Result types = TensorShapeInference.infer(g);
        Set<String> graphOutputs = new HashSet<>();
        g.outputs().forEach(o -> graphOutputs.add(o.name()));
        Map<TensorNode, Integer> position = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) position.put(g.nodes().get(i), i);
        Set<TensorNode> grouped = new HashSet<>();
        Map<TensorNode, TensorNode> replacement = new LinkedHashMap<>();
        for (TensorNode sink : g.nodes().reversed()) {
            if (grouped.contains(sink) || !chainable(sink, types)) continue;
            Set<TensorNode> group = new HashSet<>(List.of(sink));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (TensorNode member : List.copyOf(group)) {
                    for (Optional<String> in : member.inputs()) {
                        Optional<TensorNode> p = in.flatMap(view::producer);
                        if (p.isEmpty() || group.contains(p.get()) || grouped.contains(p.get()) || !chainable(p.get(), types)) continue;
                        String v = p.get().outputs().getFirst();
                        if (graphOutputs.contains(v) || !group.containsAll(view.consumers(v))) continue;
                        group.add(p.get());
                        grew = true;
                    }
                }
            }
            grouped.addAll(group);
            if (group.size() < 2) continue;
            List<TensorNode> ordered = group.stream().sorted(java.util.Comparator.comparing(position::get)).toList();
            replacement.put(sink, chain(ordered, sink));
            for (TensorNode n : ordered) if (n != sink) replacement.put(n, n);
        }
        if (replacement.isEmpty()) return g;
        List<TensorNode> nodes = new ArrayList<>();
        for (TensorNode n : g.nodes()) {
            TensorNode r = replacement.get(n);
            if (r == null) nodes.add(n);
            else if (r != n) nodes.add(r);
        }
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), nodes, g.initializers());
    }

    private static TensorNode chain(List<TensorNode> ordered, TensorNode sink) {
        Map<String, Integer> stepOf = new HashMap<>();
        List<String> inputs = new ArrayList<>();
        List<FusedOp.ChainStep> steps = new ArrayList<>();
        for (TensorNode n : ordered) {
            List<FusedOp.ChainArg> args = new ArrayList<>();
            for (Optional<String> in : n.inputs()) {
                String v = in.orElseThrow();
                Integer s = stepOf.get(v);
                if (s != null) {
                    args.add(new FusedOp.ChainArg.Step(s));
                } else {
                    if (!inputs.contains(v)) inputs.add(v);
                    args.add(new FusedOp.ChainArg.Input(inputs.indexOf(v)));
                }
            }
            stepOf.put(n.outputs().getFirst(), steps.size());
            steps.add(new FusedOp.ChainStep((ElementwiseOp) n.op(), args));
        }
        return TensorNode.of(sink.name(), new FusedOp.ElementwiseChain(steps), inputs, sink.outputs());
    }

    /** Float32 in and out, all inputs given, and an op the generated loop computes. */
    static boolean chainable(TensorNode n, TensorShapeInference.Result types) {
        if (!(n.op() instanceof ElementwiseOp op) || n.outputs().size() != 1) return false;
        if (n.inputs().stream().anyMatch(Optional::isEmpty)) return false;
        if (types.type(n.outputs().getFirst()).element() != ElementType.FLOAT32) return false;
        for (Optional<String> in : n.inputs()) if (types.type(in.get()).element() != ElementType.FLOAT32) return false;
        return switch (op) {
            case ElementwiseOp.Unary u -> u.fn() != ElementwiseOp.UnaryFn.NOT;
            case ElementwiseOp.Binary b -> !b.fn().isComparison() && !b.fn().isLogical();
            case ElementwiseOp.LeakyRelu l -> true;
            case ElementwiseOp.HardSigmoid h -> true;
            case ElementwiseOp.Gelu ge -> true;
            case ElementwiseOp.Clip c -> true;
            case ElementwiseOp.Identity i -> true;
            case ElementwiseOp.Variadic v -> false;
            case ElementwiseOp.Where w -> false;
            case ElementwiseOp.Cast c -> false;
        };
    }
}
