package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorGraphPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tensor passes in order, each switchable by name (as DuckDB's optimizer runs every pass
 * through one named call): constants folded first so weights are plain initializers, batch norms
 * folded into the layer before them, the Gelu written out by exporters recognized, then the
 * fusions (image preprocessing before the elementwise chains, which would take its arithmetic), and dead nodes and initializers dropped last.
 */
public final class TensorOptimizer {
    public static List<TensorPass> defaultPasses() {
        return List.of(new FoldConstants(), new FoldBatchNorm(), new FoldPadIntoConv(), new RecognizeActivations(), new RecognizeLayerNorm(), new FuseBiasActivation(),
                new FuseResizeNormalize(), new FuseElementwiseChains(), new EliminateDeadNodes());
    }

    /** The graph after every default pass not named in {@code disabled}; {@code trace} gets one line per pass that changed it. */
    public static TensorGraph optimize(TensorGraph g, Set<String> disabled, List<String> trace) {
        for (TensorPass p : defaultPasses()) {
            if (disabled.contains(p.name())) continue;
            TensorGraph next = p.apply(g);
            if (!next.equals(g)) trace.add(p.name() + ": " + g.nodes().size() + " -> " + next.nodes().size() + " nodes");
            g = next;
        }
        return g;
    }

    public static TensorGraph optimize(TensorGraph g) {
        return optimize(g, Set.of(), new ArrayList<>());
    }

    /** The optimized graph printed, for EXPLAIN. */
    public static String explain(TensorGraph g) {
        return TensorGraphPrinter.print(optimize(g));
    }

    private TensorOptimizer() {}
}
