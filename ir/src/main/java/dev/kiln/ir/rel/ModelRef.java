package dev.kiln.ir.rel;

import dev.kiln.ir.tensor.TensorGraph;

/**
 * A model registered in a session (CREATE MODEL), as plans refer to it: its name, the version
 * under which it was registered, and its tensor graph - the model is part of the plan, in the
 * same IR. Equality is by name and version only: plans are compared and hashed often (plan caches,
 * memo tables) and a graph's weights can be hundreds of megabytes.
 */
public record ModelRef(String name, long version, TensorGraph graph) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRef m && m.name.equals(name) && m.version == version;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(version);
    }

    /**
     * This model fed by {@code columns} numbers per row instead of its one input [N, columns]
     * (a tree ensemble's or a linear model's feature vector): the numbers, each an input [N, 1] of
     * the input's element type, concatenated into the original input, as Spark ML's
     * VectorAssembler builds a feature vector from columns. Empty unless the model has exactly
     * one input, of shape [N, columns] with columns fixed and more than one. Named
     * {@code name[columns]}: a different model from the unwrapped one in plans and caches.
     */
    public java.util.Optional<ModelRef> fedByColumns(int columns) {
        if (graph.inputs().size() != 1 || columns < 2) return java.util.Optional.empty();
        dev.kiln.ir.tensor.TensorValue in = graph.inputs().getFirst();
        var shape = in.type().shape();
        if (shape.rank() != 2 || !(shape.dim(1) instanceof dev.kiln.ir.tensor.Dim.Fixed f) || f.size() != columns || !in.type().element().isNumeric()) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> taken = new java.util.HashSet<>(graph.initializers().keySet());
        graph.inputs().forEach(v -> taken.add(v.name()));
        graph.nodes().forEach(n -> { taken.addAll(n.outputs()); taken.add(n.name()); });
        java.util.List<dev.kiln.ir.tensor.TensorValue> inputs = new java.util.ArrayList<>();
        java.util.List<java.util.Optional<String>> parts = new java.util.ArrayList<>();
        for (int i = 0; i < columns; i++) {
            String name = in.name() + "_" + i;
            while (taken.contains(name)) name = name + "_";
            taken.add(name);
            inputs.add(new dev.kiln.ir.tensor.TensorValue(name, new dev.kiln.ir.tensor.TensorType(in.type().element(),
                    dev.kiln.ir.tensor.TensorShape.of(shape.dim(0), dev.kiln.ir.tensor.Dim.of(1)))));
            parts.add(java.util.Optional.of(name));
        }
        String node = in.name() + "/assemble";
        while (taken.contains(node)) node = node + "_";
        java.util.List<dev.kiln.ir.tensor.TensorNode> nodes = new java.util.ArrayList<>();
        nodes.add(new dev.kiln.ir.tensor.TensorNode(node, new dev.kiln.ir.tensor.LayoutOp.Concat(1), parts, java.util.List.of(in.name())));
        nodes.addAll(graph.nodes());
        var g = new TensorGraph(graph.name(), inputs, graph.outputs(), nodes, graph.initializers());
        return java.util.Optional.of(new ModelRef(name + "[columns]", version, g));
    }

    @Override
    public String toString() {
        return name + "#" + version;
    }
}
