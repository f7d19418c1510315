package dev.kiln.engine;

import dev.kiln.ir.rel.Rel;

/** EXPLAIN CODEGEN's part for the models a plan runs. */
final class ModelCodegen {
    private ModelCodegen() {}

    /**
     * For each model the plan runs: its optimized tensor graph, and the Java source of the tensor
     * program compiled for a batch of {@link dev.kiln.codegen.pipeline.PipelinePlanner#INFER_BATCH_ROWS}
     * rows when every other dimension of its inputs is fixed.
     */
    static void append(Rel plan, StringBuilder sb, java.util.Set<dev.kiln.ir.rel.ModelRef> seen) {
        for (Rel in : plan.inputs()) append(in, sb, seen);
        if (!(plan instanceof dev.kiln.ir.rel.Infer inf)) return;
        if (inf.prelude().isPresent()) model(inf.prelude().get().model(), sb, seen);
        model(inf.model(), sb, seen);
    }

    private static void model(dev.kiln.ir.rel.ModelRef model, StringBuilder sb, java.util.Set<dev.kiln.ir.rel.ModelRef> seen) {
        if (!seen.add(model)) return;
        var graph = model.graph();
        sb.append("\n// ---- model ").append(model).append(" ----\n").append(dev.kiln.optimizer.tensor.TensorOptimizer.explain(graph));
        java.util.Map<String, long[]> shapes = new java.util.TreeMap<>();
        for (var v : graph.inputs()) {
            var dims = v.type().shape().dims();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (dims.get(i) instanceof dev.kiln.ir.tensor.Dim.Fixed f) shape[i] = f.size();
                else if (i == 0) shape[i] = dev.kiln.codegen.pipeline.PipelinePlanner.INFER_BATCH_ROWS;
                else {
                    sb.append("// input ").append(v.name()).append(" has the free dimension ").append(dims.get(i))
                            .append(": its program is compiled when the rows' shapes are known\n");
                    return;
                }
            }
            shapes.put(v.name(), shape);
        }
        try (var program = dev.kiln.codegen.tensor.TensorCompiler.compile(dev.kiln.optimizer.tensor.TensorOptimizer.optimize(graph), shapes,
                dev.kiln.runtime.tensor.TensorThreads.SERIAL)) {
            sb.append(program.explain());
        } catch (dev.kiln.codegen.tensor.TensorCompileException e) {
            sb.append("// not compiled, runs on the reference interpreter: ").append(e.getMessage()).append('\n');
        }
    }
}
